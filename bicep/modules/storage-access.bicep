// Data-plane roles of the app identity on the storage account. Durable Functions' Azure Storage
// backend uses blobs, queues and tables; BulkDurable uses blobs and user-delegation SAS.

@description('Name of the existing storage account.')
param storageAccountName string

@description('Object (principal) id of the managed identity that receives the roles.')
param principalId string

// Storage Blob Data Owner: full blob/container data access, and it includes
// Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action, so it also covers
// user-delegation SAS (the separate Storage Blob Delegator role is not needed). Used by the Functions
// host (AzureWebJobsStorage, Durable task hub leases), the Flex deployment container and payloads.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'

// Storage Queue Data Contributor: Durable Functions control and work-item queues.
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

// Storage Table Data Contributor: Durable Functions history and instances tables.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

var roleDefinitionIds = [
  storageBlobDataOwnerRoleId
  storageQueueDataContributorRoleId
  storageTableDataContributorRoleId
]

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleDefinitionId in roleDefinitionIds: {
    name: guid(storageAccount.id, principalId, roleDefinitionId)
    scope: storageAccount
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    }
  }
]
