// Azure Database for PostgreSQL flexible server with Microsoft Entra-only authentication (no password
// exists anywhere), an Entra administrator who is not the app (the deploying principal by default),
// TLS enforced, max_connections pinned to the value the app's scale-out is budgeted against, the
// BulkDurable database and, in public mode, firewall rules. The app identity is an ordinary role,
// created and granted by the azd postprovision hook (infra/azd/postprovision.sh), unless
// appIdentityIsAdministrator opts back into making it an administrator. Server-level child operations
// conflict when they run in parallel, so they are chained.

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
param allowAzureServices bool = false

@description('Public mode only: comma-separated client IPv4 addresses admitted by the firewall (for example the workstation that applies the schema).')
param clientIpAddresses string = ''

@description('Name of the application database.')
param databaseName string = 'bulkdurable'

@description('max_connections of the server: the budget the app\'s scale-out is derived from (main.bicep). Static: a change takes effect at the next server restart.')
@minValue(25)
@maxValue(5000)
param maxConnections int

@description('Name of the app managed identity; its PostgreSQL role has the same name.')
param appIdentityName string

@description('Object (principal) id of the app managed identity.')
param appIdentityPrincipalId string

@description('Opt-in for quick trials: make the app identity an Entra administrator too (member of azure_pg_admin, CREATEROLE, CREATEDB). Default false: the postprovision hook creates it as an ordinary role.')
param appIdentityIsAdministrator bool = false

@description('Entra administrator of the server (applies the schema and grants the app): object id. Empty: none.')
param adminPrincipalId string = ''

@description('Entra administrator: principal name (UPN of a user, display name of a group or service principal); also its PostgreSQL role name. Empty: none.')
param adminPrincipalName string = ''

@description('Type of the Entra administrator.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param adminPrincipalType string = 'User'

var addAdmin = !empty(adminPrincipalId) && !empty(adminPrincipalName)
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

// The administrator (by default the deploying principal) runs the migrations and creates the app's
// role; the app is not an administrator, so a compromised app cannot create roles or databases or
// touch objects beyond the grants of `bulkdurable migrate --grant-to`.
resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = if (addAdmin) {
  parent: server
  name: addAdmin ? adminPrincipalId : 'none'
  properties: {
    principalName: adminPrincipalName
    principalType: adminPrincipalType
    tenantId: tenant().tenantId
  }
}

// Opt-in only: the app identity as an Entra administrator. Its role (named after the identity, the
// Username of BulkDurable:Postgres:ConnectionString) is then a member of azure_pg_admin.
resource appAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = if (appIdentityIsAdministrator) {
  parent: server
  name: appIdentityIsAdministrator ? appIdentityPrincipalId : 'none-app'
  properties: {
    principalName: appIdentityName
    principalType: 'ServicePrincipal'
    tenantId: tenant().tenantId
  }
  dependsOn: [
    administrator
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
    administrator
    appAdministrator
  ]
}

// Pinned rather than left to the compute size so that the value the scale-out was derived from is
// the one the server enforces (it equals the size's default unless postgresMaxConnections says
// otherwise). A static parameter: a changed value waits for a restart (the postprovision hook warns).
resource maxConnectionsSetting 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'max_connections'
  properties: {
    value: string(maxConnections)
    source: 'user-override'
  }
  dependsOn: [
    requireSecureTransport
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
    maxConnectionsSetting
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
