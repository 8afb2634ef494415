// Azure Database for PostgreSQL flexible server with Microsoft Entra-only authentication (no password
// exists anywhere), the app identity as Entra administrator, optionally a second administrator for the
// person who applies the schema, TLS enforced, the BulkDurable database and, in public mode, firewall
// rules. Server-level child operations conflict when they run in parallel, so they are chained.

@description('Name of the flexible server (3-63 lowercase letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(63)
param name string

@description('Azure region of the server.')
param location string

@description('Tags applied to the server.')
param tags object = {}

@description('PostgreSQL major version.')
@allowed([
  '16'
  '17'
  '18'
])
param version string = '16'

@description('Compute size, e.g. Standard_B2ms (Burstable), Standard_D2ds_v5 (GeneralPurpose), Standard_E2ds_v5 (MemoryOptimized).')
param skuName string = 'Standard_B2ms'

@description('Compute tier; must match skuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'Burstable'

@description('Storage size in GiB (32, 64, 128, 256, 512, 1024, ... 32767). Auto-grow is enabled.')
@minValue(32)
@maxValue(32767)
param storageSizeGB int = 32

@description('Backup retention in days.')
@minValue(7)
@maxValue(35)
param backupRetentionDays int = 7

@description('High availability mode. SameZone and ZoneRedundant need the GeneralPurpose or MemoryOptimized tier.')
@allowed([
  'Disabled'
  'SameZone'
  'ZoneRedundant'
])
param highAvailabilityMode string = 'Disabled'

@description('Public network access. Disabled in the private deployment, where the app uses a private endpoint.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Public mode only: add the 0.0.0.0 rule that admits connections from Azure services (Flex Consumption has no fixed outbound addresses).')
param allowAzureServices bool = true

@description('Public mode only: comma-separated client IPv4 addresses admitted by the firewall (for example the workstation that applies the schema).')
param clientIpAddresses string = ''

@description('Name of the application database.')
param databaseName string = 'bulkdurable'

@description('Name of the app managed identity; becomes a PostgreSQL role of the same name.')
param appIdentityName string

@description('Object (principal) id of the app managed identity.')
param appIdentityPrincipalId string

@description('Optional second Entra administrator (e.g. the person who applies the schema): object id. Empty: none.')
param adminPrincipalId string = ''

@description('Optional second Entra administrator: principal name (UPN of a user, display name of a group or service principal).')
param adminPrincipalName string = ''

@description('Type of the optional second Entra administrator.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param adminPrincipalType string = 'User'

var addSecondAdmin = !empty(adminPrincipalId) && !empty(adminPrincipalName)
var publicAccess = publicNetworkAccess == 'Enabled'
var clientIps = filter(map(split(clientIpAddresses, ','), ip => trim(ip)), ip => !empty(ip))

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailabilityMode
    }
    network: {
      publicNetworkAccess: publicNetworkAccess
    }
  }
}

// The app identity is an Entra administrator: it logs in with an access token as password and its
// role name is the identity name (the Username of BulkDurable:Postgres:ConnectionString).
resource appAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = {
  parent: server
  name: appIdentityPrincipalId
  properties: {
    principalName: appIdentityName
    principalType: 'ServicePrincipal'
    tenantId: tenant().tenantId
  }
}

resource secondAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = if (addSecondAdmin) {
  parent: server
  name: addSecondAdmin ? adminPrincipalId : 'none'
  properties: {
    principalName: adminPrincipalName
    principalType: adminPrincipalType
    tenantId: tenant().tenantId
  }
  dependsOn: [
    appAdministrator
  ]
}

resource requireSecureTransport 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
  dependsOn: [
    appAdministrator
    secondAdministrator
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    requireSecureTransport
  ]
}

resource allowAzureServicesRule 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = if (publicAccess && allowAzureServices) {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

@batchSize(1)
resource clientRules 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = [
  for ip in clientIps: if (publicAccess) {
    parent: server
    name: 'client-${replace(ip, '.', '-')}'
    properties: {
      startIpAddress: ip
      endIpAddress: ip
    }
    dependsOn: [
      database
      allowAzureServicesRule
    ]
  }
]

@description('Name of the flexible server.')
output name string = server.name

@description('Resource id of the flexible server.')
output id string = server.id

@description('Fully qualified host name of the server.')
output fqdn string = server.properties.fullyQualifiedDomainName

@description('Name of the application database.')
output databaseName string = database.name
