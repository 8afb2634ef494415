// BulkDurable on Azure: Azure Functions (Flex Consumption, .NET isolated, Durable Functions) + Blob
// Storage + PostgreSQL flexible server, identity-based end to end: no key, password or secret-bearing
// connection string is created, passed or output. App settings map 1:1 to docs/configuration.md.
//
// Secure by default: private networking (VNet integration, private endpoints, no public Storage or
// PostgreSQL endpoint), separate identities for the Functions host and the app with least-privilege
// storage roles, the app an ordinary PostgreSQL role (not an Entra administrator), a lifecycle policy
// on payloads and job files, and a scale-out bounded by PostgreSQL's connection budget.
//
// Deploy with `azd up` (see docs/deploy.md); parameters come from main.bicepparam. The azd
// postprovision hook (infra/azd/postprovision.sh) then creates the app's PostgreSQL role and applies
// the schema and its grants.

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

@description('Private deployment (the default): VNet integration of the function app, private endpoints and private DNS zones for Storage (blob, queue, table) and PostgreSQL, Storage public network access disabled, PostgreSQL public access disabled unless postgresPublicNetworkAccess. false: public mode (opt-in), Storage and PostgreSQL on public endpoints.')
param vnetEnabled bool = true

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

@description('Lifecycle policy: days after its last write at which a staged payload (<container>/uploads/) is deleted. A job reads its payload while it plans and loads, redrives included: keep it longer than any job runs and is redriven, and than idempotencyWindow.')
@minValue(1)
@maxValue(3650)
param uploadRetentionDays int = 2

@description('Lifecycle policy: days after its last write at which a job file (<container>/jobs/: descriptor, manifest, chunk index, decoded payload, rejected and failed records, result) is deleted. Each file ages on its own.')
@minValue(1)
@maxValue(3650)
param jobRetentionDays int = 30

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

@description('Requested maximum of Flex Consumption on-demand instances per scale group. The template deploys the smaller of this and what the PostgreSQL connection budget allows (output BUDGET_MAXIMUM_INSTANCE_COUNT).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Activity functions (chunk loads, each holding one PostgreSQL connection) running at once per instance: sets AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions, overriding host.json (8).')
@minValue(1)
@maxValue(64)
param activitiesPerInstance int = 8

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
param chunksPerSegment int = 100

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

@description('Durable Functions management URLs in the 202 of a submission (BulkDurable:Api:ManagementLinks). None (default): none; clients poll the app\'s own status route. StatusOnly or All: the built-in URLs, which in Azure carry the task hub\'s system key, and that key opens the whole Durable HTTP API (every instance, its input, terminate, purge, raise events).')
@allowed([
  'None'
  'StatusOnly'
  'All'
])
param managementLinks string = 'None'

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

@description('Public mode (vnetEnabled false) only: admit connections from all Azure services, of any tenant (firewall rule 0.0.0.0). The app needs it in public mode because Flex Consumption has no fixed outbound addresses. Default false; ignored when vnetEnabled (the app uses the private endpoint).')
param postgresAllowAzureServices bool = false

@description('Public mode: comma-separated client IPv4 addresses admitted by the PostgreSQL firewall (e.g. the workstation that applies the schema).')
param postgresClientIpAddresses string = ''

@description('Name of the application database.')
param postgresDatabaseName string = 'bulkdurable'

@description('max_connections of the PostgreSQL server, set as its server parameter; the app\'s scale-out is derived from it. 0: the documented default of postgresSkuName (data/postgres-max-connections.json; 859 for Standard_B2ms). Static: a change takes effect at the next server restart.')
@minValue(0)
@maxValue(5000)
param postgresMaxConnections int = 0

@description('PostgreSQL connections kept out of the app\'s budget: the 15 the service reserves for replication and monitoring, plus administrators, migrations (bulkdurable migrate) and monitoring tools.')
@minValue(15)
param postgresReservedConnections int = 25

@description('Opt-in for quick trials: make the app identity a PostgreSQL Entra administrator too (azure_pg_admin: CREATEROLE, CREATEDB, every object it is granted). Default false: the app is an ordinary role with only the grants of `bulkdurable migrate --grant-to`, created by the postprovision hook.')
param postgresAppIsAdministrator bool = false

@description('Object id of the principal running the deployment (azd sets AZURE_PRINCIPAL_ID); default object id of the PostgreSQL Entra administrator. Empty: deployer().')
param principalId string = ''

@description('PostgreSQL Entra administrator (applies the schema and grants the app): object id. Empty: principalId, else the principal running the deployment. When set, set postgresAdminPrincipalName too.')
param postgresAdminPrincipalId string = ''

@description('PostgreSQL Entra administrator: principal name (UPN of a user, display name of a group or service principal), also the user name it signs in with. Empty: the user principal name of the principal running the deployment (deployer()), when postgresAdminPrincipalId is empty; a service principal or a guest sets it explicitly.')
param postgresAdminPrincipalName string = ''

@description('Type of the PostgreSQL Entra administrator.')
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
// The administrator is who deploys unless said otherwise: azd's AZURE_PRINCIPAL_ID, else deployer().
// Its name comes from deployer() only when the object id does too, so that the two always match.
var effectivePostgresAdminPrincipalId = !empty(postgresAdminPrincipalId)
  ? postgresAdminPrincipalId
  : (!empty(principalId) ? principalId : deployer().objectId)
var effectivePostgresAdminPrincipalName = !empty(postgresAdminPrincipalName)
  ? postgresAdminPrincipalName
  : (empty(postgresAdminPrincipalId) ? (deployer().?userPrincipalName ?? '') : '')
var names = {
  resourceGroup: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  identity: 'id-bulkdurable-${resourceToken}'
  hostIdentity: 'id-bulkdurable-host-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-bulkdurable-${resourceToken}'
  postgres: 'psql-bulkdurable-${resourceToken}'
  virtualNetwork: 'vnet-${resourceToken}'
}

// ---------------------------------------------------------------------------------------------------
// Scale-out within PostgreSQL's connection budget (docs/deploy.md, "Scale-out and the PostgreSQL
// connection budget"). A Durable instance holds one connection per chunk load, at most
// activitiesPerInstance, plus status reads (2); an http instance only the status reads. Flex
// Consumption applies maximumInstanceCount to each scale group (durable, http) separately, and
// always-ready instances come on top of it, so the worst case is
//   (N + durableAlwaysReady) x (activities + 2) + (N + httpAlwaysReady) x 2 + reserved <= max_connections
// and N is the largest value that satisfies it, capped at the requested maximumInstanceCount. When
// not even N = 1 fits, N is 0 and the function-app module refuses it (@minValue(1)).
// ---------------------------------------------------------------------------------------------------

var postgresSizeMaxConnections = loadJsonContent('data/postgres-max-connections.json').defaults
var effectivePostgresMaxConnections = postgresMaxConnections > 0
  ? postgresMaxConnections
  : (postgresSizeMaxConnections[?postgresSkuName] ?? 50)
var statusConnectionsPerInstance = 2
var connectionsPerDurableInstance = activitiesPerInstance + statusConnectionsPerInstance
var appConnectionBudget = effectivePostgresMaxConnections - postgresReservedConnections
var alwaysReadyConnections = durableAlwaysReadyInstanceCount * connectionsPerDurableInstance + httpAlwaysReadyInstanceCount * statusConnectionsPerInstance
var budgetMaximumInstanceCount = max(0, (appConnectionBudget - alwaysReadyConnections) / (connectionsPerDurableInstance + statusConnectionsPerInstance))
var effectiveMaximumInstanceCount = min(maximumInstanceCount, budgetMaximumInstanceCount)
// The global budget of chunk loads in flight that the app enforces across instances: every durable
// instance running activitiesPerInstance loads.
var maxChunkLoads = (effectiveMaximumInstanceCount + durableAlwaysReadyInstanceCount) * activitiesPerInstance

// ---------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: allTags
}

// The app identity: payload container, upload URLs, PostgreSQL (its role name is the identity name).
module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

// The host identity: AzureWebJobsStorage (Functions host, Durable Task backend), the deployment
// package and Application Insights. Separate so that the account-wide roles the host needs are not
// the app's.
module hostIdentity 'modules/identity.bicep' = {
  name: 'host-identity'
  scope: rg
  params: {
    name: names.hostIdentity
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
    principalId: hostIdentity.outputs.principalId
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
    payloadContainerName: payloadContainerName
    uploadRetentionDays: uploadRetentionDays
    jobRetentionDays: jobRetentionDays
  }
}

module storageAccess 'modules/storage-access.bicep' = {
  name: 'storage-access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    payloadContainerName: payloadContainerName
    hostPrincipalId: hostIdentity.outputs.principalId
    appPrincipalId: identity.outputs.principalId
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
    maxConnections: effectivePostgresMaxConnections
    appIdentityName: identity.outputs.name
    appIdentityPrincipalId: identity.outputs.principalId
    appIdentityIsAdministrator: postgresAppIsAdministrator
    adminPrincipalId: effectivePostgresAdminPrincipalId
    adminPrincipalName: effectivePostgresAdminPrincipalName
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
  // Durable history and entity state go when the job's blobs do (the lifecycle policy's jobs/ rule).
  BulkDurable__Retention__JobHistory: '${jobRetentionDays}.00:00:00'
  BulkDurable__Api__MaxRequestBodyBytes: string(maxRequestBodyBytes)
  BulkDurable__Api__UploadSasLifetime: uploadSasLifetime
  // Explicit, so that the Azure default never depends on the code's: no system key in a 202.
  BulkDurable__Api__ManagementLinks: managementLinks
  // The connection budget (see above): chunk loads per instance; with maximumInstanceCount it bounds
  // the chunk loads in flight across all instances (the host enforces both, the app adds no budget).
  AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions: string(activitiesPerInstance)
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
    hostIdentityId: hostIdentity.outputs.id
    hostIdentityClientId: hostIdentity.outputs.clientId
    appIdentityId: identity.outputs.id
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appSettings: applicationSettings
    runtimeVersion: '10.0'
    instanceMemoryMB: instanceMemoryMB
    // 0 when the connection budget has no room for one instance: any() leaves the module's
    // @minValue(1) to ARM, so that such a deployment fails instead of overcommitting PostgreSQL.
    maximumInstanceCount: any(effectiveMaximumInstanceCount)
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

@description('Name of the PostgreSQL flexible server (for az postgres flexible-server commands).')
output POSTGRES_SERVER_NAME string = postgres.outputs.name

@description('PostgreSQL Entra administrator\'s principal name (its user name); empty when none was configured. Read by the postprovision hook.')
output POSTGRES_ENTRA_ADMIN_NAME string = effectivePostgresAdminPrincipalName

@description('Name of the app managed identity, which is also its PostgreSQL role name.')
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name

@description('Client id of the app managed identity.')
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Object (principal) id of the app managed identity, which its PostgreSQL role is mapped to.')
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('Name of the host managed identity (AzureWebJobsStorage, deployment package, telemetry).')
output AZURE_HOST_IDENTITY_NAME string = hostIdentity.outputs.name

@description('Connection budget: max_connections the scale-out was derived from.')
output BUDGET_POSTGRES_MAX_CONNECTIONS int = effectivePostgresMaxConnections

@description('Connection budget: maximumInstanceCount deployed (per scale group; always-ready instances on top).')
output BUDGET_MAXIMUM_INSTANCE_COUNT int = effectiveMaximumInstanceCount

@description('Connection budget: the most chunk loads in flight across all instances (durable instances x activitiesPerInstance).')
output BUDGET_MAX_CHUNK_LOADS int = maxChunkLoads
