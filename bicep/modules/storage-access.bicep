// Data-plane roles on the storage account, least privilege for two identities:
//   - the host identity (AzureWebJobsStorage: Functions host and Durable Task Azure Storage backend;
//     the Flex deployment package) gets what the host needs on the whole account;
//   - the app identity (BulkDurable:Identity:ManagedIdentityClientId: payloads, manifests, results
//     and upload URLs) gets data access to the payload container only, and at account scope nothing
//     but the right to request user delegation keys.

@description('Name of the existing storage account.')
param storageAccountName string

@description('Name of the existing BulkDurable payload container.')
param payloadContainerName string

@description('Object (principal) id of the host identity (AzureWebJobsStorage, deployment package).')
param hostPrincipalId string

@description('Object (principal) id of the app identity (BulkDurable payload access).')
param appPrincipalId string

// Storage Blob Data Owner: what the Functions docs name as the host's requirement for
// AzureWebJobsStorage with an identity ("covers the basic needs of Functions host storage": leases,
// the key store in azure-webjobs-secrets, creating its containers). It also covers the Durable Task
// backend's blobs (task hub leases, large messages) and reading the deployment package.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'

// Storage Queue Data Contributor: Durable Functions control and work-item queues.
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

// Storage Table Data Contributor: Durable Functions history and instances tables (and the host's
// diagnostic events).
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// Storage Blob Data Contributor: read, write and delete blobs of the payload container.
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// Storage Blob Delegator: only Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action.
// Get User Delegation Key acts on the storage account, so that action must be granted at account
// (or wider) scope; a container-scoped Data Contributor does not let the app request the key. What a
// user delegation SAS allows is then the intersection of its permissions and the signer's data roles,
// so upload URLs can only reach the payload container.
var storageBlobDelegatorRoleId = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'

var hostRoleDefinitionIds = [
  storageBlobDataOwnerRoleId
  storageQueueDataContributorRoleId
  storageTableDataContributorRoleId
]

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource payloadContainer 'containers' existing = {
      name: payloadContainerName
    }
  }
}

resource hostRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleDefinitionId in hostRoleDefinitionIds: {
    name: guid(storageAccount.id, hostPrincipalId, roleDefinitionId)
    scope: storageAccount
    properties: {
      principalId: hostPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    }
  }
]

resource appPayloadContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::blobService::payloadContainer.id, appPrincipalId, storageBlobDataContributorRoleId)
  scope: storageAccount::blobService::payloadContainer
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
  }
}

resource appDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, appPrincipalId, storageBlobDelegatorRoleId)
  scope: storageAccount
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDelegatorRoleId)
  }
}
