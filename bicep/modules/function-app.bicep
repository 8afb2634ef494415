// Function app on the Flex Consumption plan (FC1, Linux), .NET isolated worker, user-assigned
// identities only: the host identity for host storage (AzureWebJobsStorage, also the Durable Task Azure
// Storage backend), the deployment package and Application Insights; the app identity, attached so
// that the worker can use it (BulkDurable:Identity:ManagedIdentityClientId), for everything the app
// itself reaches. Basic-auth publishing (FTP and SCM) is disabled.

@description('Name of the function app (globally unique; becomes <name>.azurewebsites.net).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app (must support Flex Consumption).')
param location string

@description('Tags applied to the plan and the app.')
param tags object = {}

@description('azd service name; the app is tagged azd-service-name=<serviceName> so that azd deploy finds it.')
param serviceName string = 'api'

@description('Resource id of the host identity (AzureWebJobsStorage, deployment package, Application Insights).')
param hostIdentityId string

@description('Client id of the host identity.')
param hostIdentityClientId string

@description('Resource id of the app identity (the worker\'s DefaultAzureCredential: payloads, PostgreSQL); attached to the app, used by no host setting.')
param appIdentityId string

@description('Name of the storage account used for host storage and the deployment package.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Application settings of the app (BulkDurable__* and DurableTaskHubName); host settings are added here.')
param appSettings object

@description('.NET isolated worker version.')
param runtimeVersion string = '10.0'

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum number of on-demand instances of each scale group (always-ready instances come on top). Below 1 when the PostgreSQL connection budget leaves no room: the deployment then fails here.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instances for the durable group (orchestrator, activity and entity triggers). 0: none.')
@minValue(0)
param durableAlwaysReadyInstanceCount int = 1

@description('Always-ready instances for the http group (all HTTP-triggered functions). 0: none.')
@minValue(0)
param httpAlwaysReadyInstanceCount int = 0

@description('Resource id of the subnet for VNet integration (delegated to Microsoft.App/environments). Empty: no VNet integration.')
param virtualNetworkSubnetId string = ''

var durableAlwaysReady = durableAlwaysReadyInstanceCount > 0
  ? [
      {
        name: 'durable'
        instanceCount: durableAlwaysReadyInstanceCount
      }
    ]
  : []
var httpAlwaysReady = httpAlwaysReadyInstanceCount > 0
  ? [
      {
        name: 'http'
        instanceCount: httpAlwaysReadyInstanceCount
      }
    ]
  : []
var alwaysReady = concat(durableAlwaysReady, httpAlwaysReady)

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${hostIdentityId}': {}
      '${appIdentityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: hostIdentityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
      scaleAndConcurrency: {
        alwaysReady: alwaysReady
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }
}

// Host-level settings (docs/configuration.md, "Azure Functions host settings"). None holds a secret:
// storage and telemetry are reached with the host identity.
var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccount.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: hostIdentityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${hostIdentityClientId};Authorization=AAD'
}

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, hostSettings)
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Default host name of the function app.')
output defaultHostName string = functionApp.properties.defaultHostName

@description('Base URL of the function app.')
output uri string = 'https://${functionApp.properties.defaultHostName}'
