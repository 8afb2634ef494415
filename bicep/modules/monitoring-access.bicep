// Lets the app identity send telemetry to Application Insights with a Microsoft Entra token
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING=ClientId=...;Authorization=AAD), since local auth is disabled.

@description('Name of the existing Application Insights component.')
param applicationInsightsName string

@description('Object (principal) id of the managed identity that publishes telemetry.')
param principalId string

// Monitoring Metrics Publisher: publish telemetry/metrics to the component with an Entra token.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, monitoringMetricsPublisherRoleId)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
  }
}
