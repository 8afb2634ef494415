// BulkDurable on Azure: Azure Functions (Flex Consumption, .NET isolated, Durable Functions) + Blob
// Storage + PostgreSQL flexible server, identity-based end to end: no key, password or secret-bearing
// connection string is created, passed or output. App settings map 1:1 to docs/configuration.md.
//
// Deploy with `azd up` (see docs/deploy.md); parameters come from main.bicepparam.

targetScope = 'subscription'

metadata description = 'BulkDurable bulk-ingestion service: Flex Consumption function app, Storage, PostgreSQL flexible server, monitoring and optional private networking.'

// ---------------------------------------------------------------------------------------------------
// General
// ---------------------------------------------------------------------------------------------------

@description('Name of the azd environment; names the resource group and seeds the unique suffix of every resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of all resources. Must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@minLength(1)
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Name of the resource group to create. Empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Extra tags for every resource (azd-env-name is always added).')
param tags object = {}

// ---------------------------------------------------------------------------------------------------
// Networking (one switch)
// ---------------------------------------------------------------------------------------------------

@description('Private deployment: VNet integration of the function app, private endpoints and private DNS zones for Storage (blob, queue, table) and PostgreSQL, Storage public network access disabled, PostgreSQL public access disabled by default.')
param vnetEnabled bool = false

@description('vnetEnabled only: address space of the virtual network.')
param vnetAddressPrefix string = '10.60.0.0/16'

@description('vnetEnabled only: subnet of the function app VNet integration (delegated to Microsoft.App/environments).')
param appSubnetPrefix string = '10.60.1.0/24'

@description('vnetEnabled only: subnet of the private endpoints.')
param privateEndpointSubnetPrefix string = '10.60.2.0/24'

// ---------------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------------

@description('Replication SKU of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Blob container for payloads, manifests and results (BulkDurable:Storage:Container).')
@minLength(3)
@maxLength(63)
param payloadContainerName string = 'bulkdurable'

// ---------------------------------------------------------------------------------------------------
// Function app
// ---------------------------------------------------------------------------------------------------

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum number of Flex Consumption instances. Bounds the PostgreSQL connections the app can open.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instances of the durable scale group (orchestrations, activities, entities). 0: scale from zero.')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstanceCount int = 1

@description('Always-ready instances of the http scale group. 0: scale from zero.')
@minValue(0)
@maxValue(20)
param httpAlwaysReadyInstanceCount int = 0

@description('Durable Functions task hub name (DurableTaskHubName): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'BulkDurable'

@description('Chunk loads running at once per job (BulkDurable:Orchestration:MaxChunksInFlight).')
@minValue(1)
@maxValue(256)
param maxChunksInFlight int = 4

@description('Chunks per sub-orchestration (BulkDurable:Orchestration:ChunksPerSegment).')
@minValue(1)
@maxValue(10000)
param chunksPerSegment int = 500

@description('Attempts of a chunk load that fails with a retryable error (BulkDurable:Orchestration:Retry:MaxAttempts).')
@minValue(1)
@maxValue(100)
param retryMaxAttempts int = 8

@description('First back-off delay, as a TimeSpan (BulkDurable:Orchestration:Retry:FirstInterval).')
param retryFirstInterval string = '00:00:02'

@description('Growth factor of the back-off delay, as a decimal number (BulkDurable:Orchestration:Retry:BackoffCoefficient).')
param retryBackoffCoefficient string = '2'

@description('Cap of the back-off delay, as a TimeSpan (BulkDurable:Orchestration:Retry:MaxInterval).')
param retryMaxInterval string = '00:01:00'

@description('Target records per chunk (BulkDurable:Ingestion:ChunkRecords).')
@minValue(1)
@maxValue(1000000)
param chunkRecords int = 10000

@description('Payload bytes at which a chunk is closed early (BulkDurable:Ingestion:ChunkBytes).')
@minValue(65536)
param chunkBytes int = 8388608

@description('Largest accepted payload after decompression, in bytes (BulkDurable:Ingestion:MaxPayloadBytes).')
@minValue(1)
param maxPayloadBytes int = 10737418240

@description('Largest gzip expansion ratio before a payload is rejected as a decompression bomb (BulkDurable:Ingestion:MaxGzipExpansionRatio).')
@minValue(1)
param maxGzipExpansionRatio int = 200

@description('Share of chunks that may fail permanently in a job that still ends CompletedWithErrors, a decimal from 0 to 1 (BulkDurable:Ingestion:ToleratedFailedChunkRatio).')
param toleratedFailedChunkRatio string = '0'

@description('Share of records that may be rejected in a job that still ends CompletedWithErrors, a decimal from 0 to 1 (BulkDurable:Ingestion:ToleratedRejectedRecordRatio).')
param toleratedRejectedRecordRatio string = '1'

@description('How long an Idempotency-Key maps to its job, as a TimeSpan (BulkDurable:Ingestion:IdempotencyWindow).')
param idempotencyWindow string = '1.00:00:00'

@description('Largest payload accepted in a request body, in bytes; larger ones use upload URLs (BulkDurable:Api:MaxRequestBodyBytes).')
@minValue(1)
param maxRequestBodyBytes int = 104857600

@description('Lifetime of a write-only upload URL, as a TimeSpan (BulkDurable:Api:UploadSasLifetime).')
param uploadSasLifetime string = '00:15:00'

// ---------------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------------

@description('Retention of the Log Analytics workspace, in days.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---------------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------------

@description('Region of the PostgreSQL server. Empty: location. Set it when the region offers no PostgreSQL capacity to your subscription.')
param postgresLocation string = ''

@description('PostgreSQL major version.')
@allowed([
  '16'
  '17'
  '18'
])
param postgresVersion string = '16'

@description('PostgreSQL compute size, e.g. Standard_B2ms (Burstable), Standard_D2ds_v5 (GeneralPurpose), Standard_E2ds_v5 (MemoryOptimized).')
param postgresSkuName string = 'Standard_B2ms'

@description('PostgreSQL compute tier; must match postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB (32, 64, 128, 256, 512, 1024, ...); auto-grow is enabled.')
@minValue(32)
@maxValue(32767)
param postgresStorageSizeGB int = 32

@description('PostgreSQL backup retention in days.')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 7

@description('PostgreSQL high availability. SameZone and ZoneRedundant need the GeneralPurpose or MemoryOptimized tier.')
@allowed([
  'Disabled'
  'SameZone'
  'ZoneRedundant'
])
param postgresHighAvailabilityMode string = 'Disabled'

@description('PostgreSQL network mode when vnetEnabled: Disabled = private only (the app connects through the private endpoint); Enabled = the public endpoint stays open with firewall rules as well (e.g. to apply the schema from a workstation). Without vnetEnabled the server is always public with firewall rules.')
@allowed([
  'Enabled'
  'Disabled'
])
param postgresPublicNetworkAccess string = 'Disabled'

@description('Public mode without vnetEnabled: admit connections from Azure services (firewall rule 0.0.0.0), which the app needs because Flex Consumption has no fixed outbound addresses. Ignored when vnetEnabled (the app uses the private endpoint).')
param postgresAllowAzureServices bool = true

@description('Public mode: comma-separated client IPv4 addresses admitted by the PostgreSQL firewall (e.g. the workstation that applies the schema).')
param postgresClientIpAddresses string = ''

@description('Name of the application database.')
param postgresDatabaseName string = 'bulkdurable'

@description('Object id of the principal running the deployment (azd sets AZURE_PRINCIPAL_ID); default object id of the second PostgreSQL Entra administrator.')
param principalId string = ''

@description('Optional second PostgreSQL Entra administrator, e.g. you, to apply the schema from a workstation: object id. Empty: principalId. The administrator is created only when postgresAdminPrincipalName is set too.')
param postgresAdminPrincipalId string = ''

@description('Optional second PostgreSQL Entra administrator: principal name (UPN of a user, display name of a group or service principal). Empty: none.')
param postgresAdminPrincipalName string = ''

@description('Type of the optional second PostgreSQL Entra administrator.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param postgresAdminPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
var deploymentContainerName = 'app-package'
var effectivePostgresLocation = !empty(postgresLocation) ? postgresLocation : location
var effectivePostgresPublicNetworkAccess = vnetEnabled ? postgresPublicNetworkAccess : 'Enabled'
var effectivePostgresAdminPrincipalId = !empty(postgresAdminPrincipalId) ? postgresAdminPrincipalId : principalId
var names = {
  resourceGroup: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  identity: 'id-bulkdurable-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-bulkdurable-${resourceToken}'
  postgres: 'psql-bulkdurable-${resourceToken}'
  virtualNetwork: 'vnet-${resourceToken}'
}

// ---------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: allTags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
  }
}

module monitoringAccess 'modules/monitoring-access.bicep' = {
  name: 'monitoring-access'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: rg
  params: {
    name: names.virtualNetwork
    location: location
    tags: allTags
    addressPrefix: vnetAddressPrefix
    appSubnetPrefix: appSubnetPrefix
    privateEndpointSubnetPrefix: privateEndpointSubnetPrefix
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSkuName
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    containerNames: [
      deploymentContainerName
      payloadContainerName
    ]
  }
}

module storageAccess 'modules/storage-access.bicep' = {
  name: 'storage-access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: names.postgres
    location: effectivePostgresLocation
    tags: allTags
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    highAvailabilityMode: postgresHighAvailabilityMode
    publicNetworkAccess: effectivePostgresPublicNetworkAccess
    allowAzureServices: postgresAllowAzureServices && !vnetEnabled
    clientIpAddresses: postgresClientIpAddresses
    databaseName: postgresDatabaseName
    appIdentityName: identity.outputs.name
    appIdentityPrincipalId: identity.outputs.principalId
    adminPrincipalId: effectivePostgresAdminPrincipalId
    adminPrincipalName: postgresAdminPrincipalName
    adminPrincipalType: postgresAdminPrincipalType
  }
}

module privateNetworking 'modules/private-networking.bicep' = if (vnetEnabled) {
  name: 'private-networking'
  scope: rg
  params: {
    location: location
    tags: allTags
    virtualNetworkId: vnetEnabled ? network!.outputs.virtualNetworkId : ''
    privateEndpointSubnetId: vnetEnabled ? network!.outputs.privateEndpointSubnetId : ''
    storageAccountId: storage.outputs.id
    postgresServerId: postgres.outputs.id
  }
}

// Application settings read by the code (docs/configuration.md). The host settings
// (AzureWebJobsStorage__*, APPLICATIONINSIGHTS_*) are added by the function-app module.
var applicationSettings = {
  DurableTaskHubName: durableTaskHubName
  BulkDurable__Storage__ServiceUri: storage.outputs.blobServiceUri
  BulkDurable__Storage__Container: payloadContainerName
  // No password: the app signs in with an Entra access token (UseEntraAuthentication).
  BulkDurable__Postgres__ConnectionString: 'Host=${postgres.outputs.fqdn};Database=${postgres.outputs.databaseName};Username=${identity.outputs.name};SslMode=VerifyFull'
  BulkDurable__Postgres__UseEntraAuthentication: 'true'
  BulkDurable__Identity__ManagedIdentityClientId: identity.outputs.clientId
  BulkDurable__Orchestration__MaxChunksInFlight: string(maxChunksInFlight)
  BulkDurable__Orchestration__ChunksPerSegment: string(chunksPerSegment)
  BulkDurable__Orchestration__Retry__MaxAttempts: string(retryMaxAttempts)
  BulkDurable__Orchestration__Retry__FirstInterval: retryFirstInterval
  BulkDurable__Orchestration__Retry__BackoffCoefficient: retryBackoffCoefficient
  BulkDurable__Orchestration__Retry__MaxInterval: retryMaxInterval
  BulkDurable__Ingestion__ChunkRecords: string(chunkRecords)
  BulkDurable__Ingestion__ChunkBytes: string(chunkBytes)
  BulkDurable__Ingestion__MaxPayloadBytes: string(maxPayloadBytes)
  BulkDurable__Ingestion__MaxGzipExpansionRatio: string(maxGzipExpansionRatio)
  BulkDurable__Ingestion__ToleratedFailedChunkRatio: toleratedFailedChunkRatio
  BulkDurable__Ingestion__ToleratedRejectedRecordRatio: toleratedRejectedRecordRatio
  BulkDurable__Ingestion__IdempotencyWindow: idempotencyWindow
  BulkDurable__Api__MaxRequestBodyBytes: string(maxRequestBodyBytes)
  BulkDurable__Api__UploadSasLifetime: uploadSasLifetime
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: allTags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appSettings: applicationSettings
    runtimeVersion: '10.0'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    durableAlwaysReadyInstanceCount: durableAlwaysReadyInstanceCount
    httpAlwaysReadyInstanceCount: httpAlwaysReadyInstanceCount
    virtualNetworkSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
  }
  dependsOn: [
    // Start the app only once its identity can reach storage, telemetry and (private mode) the endpoints.
    storageAccess
    monitoringAccess
    privateNetworking
  ]
}

// ---------------------------------------------------------------------------------------------------
// Outputs (azd stores them in .azure/<env>/.env). None is a secret.
// ---------------------------------------------------------------------------------------------------

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Microsoft Entra tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group that holds every resource.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app (azd service api).')
output SERVICE_API_NAME string = functionApp.outputs.name

@description('Base URL of the function app.')
output SERVICE_API_URI string = functionApp.outputs.uri

@description('Name of the storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Blob service endpoint of the storage account (BulkDurable:Storage:ServiceUri).')
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobServiceUri

@description('Host name of the PostgreSQL flexible server.')
output POSTGRES_HOST string = postgres.outputs.fqdn

@description('Name of the application database.')
output POSTGRES_DATABASE string = postgres.outputs.databaseName

@description('Name of the app managed identity, which is also its PostgreSQL role name.')
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name

@description('Client id of the app managed identity.')
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
