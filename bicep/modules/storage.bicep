// Storage account for the Functions host (Durable Task hub queues/tables/blobs), the Flex Consumption
// deployment package and BulkDurable payloads/manifests/results. Shared keys are disabled: every
// client authenticates with Microsoft Entra ID (RBAC), including user-delegation SAS. A lifecycle
// policy deletes old payloads and job files of the payload container, and nothing else.

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object = {}

@description('Replication SKU of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param skuName string = 'Standard_LRS'

@description('Public network access. Disabled when the app reaches storage through private endpoints.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Blob containers to create (deployment package container and the BulkDurable payload container).')
param containerNames array

@description('The BulkDurable payload container (one of containerNames); the lifecycle policy applies to it only.')
param payloadContainerName string

@description('Days after its last modification at which a staged payload (<payloadContainerName>/uploads/) is deleted.')
@minValue(1)
param uploadRetentionDays int

@description('Days after its last modification at which a job file (<payloadContainerName>/jobs/) is deleted.')
@minValue(1)
param jobRetentionDays int

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: publicNetworkAccess == 'Enabled' ? 'AzureServices' : 'None'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storageAccount
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

// Lifecycle management runs about once a day, so a blob goes some hours after its age passes the
// limit. The rules are confined to prefixes of the payload container (prefixMatch starts with the
// container name): the host's containers (azure-webjobs-*), the task hub's blobs and the deployment
// package are never touched.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          // Payloads staged by a request body or an upload URL (BlobLayout.Upload), read by the job
          // that was submitted with them: by planning and by every chunk load, redrives included.
          name: 'delete-staged-payloads'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
                'appendBlob'
              ]
              prefixMatch: [
                '${payloadContainerName}/uploads/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: uploadRetentionDays
                }
              }
            }
          }
        }
        {
          // Everything of a job (BlobLayout.JobPrefix): descriptor, manifest, plan attempts (chunk
          // index, decoded payload, rejected records), per-chunk rejections, failed records, result.
          name: 'delete-job-files'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
                'appendBlob'
              ]
              prefixMatch: [
                '${payloadContainerName}/jobs/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: jobRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    containers
  ]
}

@description('Name of the storage account.')
output name string = storageAccount.name

@description('Resource id of the storage account.')
output id string = storageAccount.id

@description('Blob service endpoint without a trailing slash (BulkDurable:Storage:ServiceUri).')
output blobServiceUri string = 'https://${storageAccount.name}.blob.${environment().suffixes.storage}'
