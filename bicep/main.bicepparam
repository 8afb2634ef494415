// Parameters for main.bicep. azd exports the values of the selected environment (.azure/<env>/.env)
// as environment variables while it compiles this file, so `azd env set NAME value` overrides any
// default below; outside azd (CI what-if, az CLI) export the same variables. Every default is a
// string literal, as readEnvironmentVariable requires. No value here is a secret.

using './main.bicep'

// General. AZURE_ENV_NAME, AZURE_LOCATION and AZURE_PRINCIPAL_ID are set by azd itself.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'bulkdurable')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param resourceGroupName = readEnvironmentVariable('AZURE_RESOURCE_GROUP', '')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

// Networking: one switch for VNet integration, private endpoints and private DNS zones. Private by
// default; VNET_ENABLED=false is the public mode (opt-in, see docs/deploy.md).
param vnetEnabled = bool(readEnvironmentVariable('VNET_ENABLED', 'true'))
param vnetAddressPrefix = readEnvironmentVariable('VNET_ADDRESS_PREFIX', '10.60.0.0/16')
param appSubnetPrefix = readEnvironmentVariable('VNET_APP_SUBNET_PREFIX', '10.60.1.0/24')
param privateEndpointSubnetPrefix = readEnvironmentVariable('VNET_PRIVATE_ENDPOINT_SUBNET_PREFIX', '10.60.2.0/24')

// Storage
param storageSkuName = readEnvironmentVariable('STORAGE_SKU_NAME', 'Standard_LRS')
param payloadContainerName = readEnvironmentVariable('PAYLOAD_CONTAINER_NAME', 'bulkdurable')
param uploadRetentionDays = int(readEnvironmentVariable('UPLOAD_RETENTION_DAYS', '2'))
param jobRetentionDays = int(readEnvironmentVariable('JOB_RETENTION_DAYS', '30'))

// Function app
// main.bicep allows only the sizes Flex Consumption offers (512 | 2048 | 4096), which a number read
// from the environment cannot be proven to be at compile time (BCP033): any() leaves the check to
// deployment, where ARM applies allowedValues, and bicep/check.sh applies it before that.
param instanceMemoryMB = any(int(readEnvironmentVariable('FUNCTION_INSTANCE_MEMORY_MB', '2048')))
// The requested maximum; the template deploys at most what the PostgreSQL connection budget allows
// (output BUDGET_MAXIMUM_INSTANCE_COUNT, which is not read back here).
param maximumInstanceCount = int(readEnvironmentVariable('FUNCTION_MAXIMUM_INSTANCE_COUNT', '40'))
param activitiesPerInstance = int(readEnvironmentVariable('ACTIVITIES_PER_INSTANCE', '8'))
param durableAlwaysReadyInstanceCount = int(readEnvironmentVariable('DURABLE_ALWAYS_READY_INSTANCES', '1'))
param httpAlwaysReadyInstanceCount = int(readEnvironmentVariable('HTTP_ALWAYS_READY_INSTANCES', '0'))
param durableTaskHubName = readEnvironmentVariable('DURABLE_TASK_HUB_NAME', 'BulkDurable')
param maxChunksInFlight = int(readEnvironmentVariable('MAX_CHUNKS_IN_FLIGHT', '4'))
param chunksPerSegment = int(readEnvironmentVariable('CHUNKS_PER_SEGMENT', '100'))
param retryMaxAttempts = int(readEnvironmentVariable('RETRY_MAX_ATTEMPTS', '8'))
param retryFirstInterval = readEnvironmentVariable('RETRY_FIRST_INTERVAL', '00:00:02')
param retryBackoffCoefficient = readEnvironmentVariable('RETRY_BACKOFF_COEFFICIENT', '2')
param retryMaxInterval = readEnvironmentVariable('RETRY_MAX_INTERVAL', '00:01:00')
param chunkRecords = int(readEnvironmentVariable('CHUNK_RECORDS', '10000'))
param chunkBytes = int(readEnvironmentVariable('CHUNK_BYTES', '8388608'))
param maxPayloadBytes = int(readEnvironmentVariable('MAX_PAYLOAD_BYTES', '10737418240'))
param maxGzipExpansionRatio = int(readEnvironmentVariable('MAX_GZIP_EXPANSION_RATIO', '200'))
param toleratedFailedChunkRatio = readEnvironmentVariable('TOLERATED_FAILED_CHUNK_RATIO', '0')
param toleratedRejectedRecordRatio = readEnvironmentVariable('TOLERATED_REJECTED_RECORD_RATIO', '1')
param idempotencyWindow = readEnvironmentVariable('IDEMPOTENCY_WINDOW', '1.00:00:00')
param maxRequestBodyBytes = int(readEnvironmentVariable('MAX_REQUEST_BODY_BYTES', '104857600'))
param uploadSasLifetime = readEnvironmentVariable('UPLOAD_SAS_LIFETIME', '00:15:00')
param managementLinks = readEnvironmentVariable('MANAGEMENT_LINKS', 'None')

// Monitoring
param logRetentionInDays = int(readEnvironmentVariable('LOG_RETENTION_DAYS', '30'))

// PostgreSQL
param postgresLocation = readEnvironmentVariable('POSTGRES_LOCATION', '')
param postgresVersion = readEnvironmentVariable('POSTGRES_VERSION', '16')
param postgresSkuName = readEnvironmentVariable('POSTGRES_SKU_NAME', 'Standard_B2ms')
param postgresSkuTier = readEnvironmentVariable('POSTGRES_SKU_TIER', 'Burstable')
param postgresStorageSizeGB = int(readEnvironmentVariable('POSTGRES_STORAGE_SIZE_GB', '32'))
param postgresBackupRetentionDays = int(readEnvironmentVariable('POSTGRES_BACKUP_RETENTION_DAYS', '7'))
param postgresHighAvailabilityMode = readEnvironmentVariable('POSTGRES_HIGH_AVAILABILITY', 'Disabled')
param postgresPublicNetworkAccess = readEnvironmentVariable('POSTGRES_PUBLIC_NETWORK_ACCESS', 'Disabled')
param postgresAllowAzureServices = bool(readEnvironmentVariable('POSTGRES_ALLOW_AZURE_SERVICES', 'false'))
param postgresClientIpAddresses = readEnvironmentVariable('POSTGRES_CLIENT_IP_ADDRESSES', '')
param postgresDatabaseName = readEnvironmentVariable('POSTGRES_DATABASE_NAME', 'bulkdurable')
// 0: the default max_connections of POSTGRES_SKU_NAME (bicep/data/postgres-max-connections.json).
param postgresMaxConnections = int(readEnvironmentVariable('POSTGRES_MAX_CONNECTIONS', '0'))
param postgresReservedConnections = int(readEnvironmentVariable('POSTGRES_RESERVED_CONNECTIONS', '25'))
// Opt-in for quick trials only: the app identity as an Entra administrator (docs/deploy.md).
param postgresAppIsAdministrator = bool(readEnvironmentVariable('POSTGRES_APP_IS_ADMINISTRATOR', 'false'))

// The Entra administrator: by default you, the principal running `azd provision` (object id
// AZURE_PRINCIPAL_ID, user principal name from deployer()). Set the name explicitly when you deploy
// as a service principal or are a guest in the tenant (the #EXT# form), e.g.:
//   azd env set POSTGRES_ADMIN_PRINCIPAL_NAME "$(az ad signed-in-user show --query userPrincipalName -o tsv)"
param postgresAdminPrincipalId = readEnvironmentVariable('POSTGRES_ADMIN_PRINCIPAL_ID', '')
param postgresAdminPrincipalName = readEnvironmentVariable('POSTGRES_ADMIN_PRINCIPAL_NAME', '')
param postgresAdminPrincipalType = readEnvironmentVariable('POSTGRES_ADMIN_PRINCIPAL_TYPE', 'User')
