// Virtual network for the optional private deployment: one subnet delegated to Flex Consumption VNet
// integration (Microsoft.App/environments) and one subnet for private endpoints.

@description('Name of the virtual network.')
param name string

@description('Azure region of the virtual network.')
param location string

@description('Tags applied to the virtual network.')
param tags object = {}

@description('Address space of the virtual network (CIDR).')
param addressPrefix string

@description('Address prefix of the function app integration subnet (CIDR, not shared with anything else).')
param appSubnetPrefix string

@description('Address prefix of the private endpoint subnet (CIDR).')
param privateEndpointSubnetPrefix string

var appSubnetName = 'snet-app'
var privateEndpointSubnetName = 'snet-private-endpoints'

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                // The delegation Flex Consumption VNet integration requires.
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

@description('Resource id of the virtual network.')
output virtualNetworkId string = virtualNetwork.id

@description('Resource id of the function app integration subnet.')
output appSubnetId string = '${virtualNetwork.id}/subnets/${appSubnetName}'

@description('Resource id of the private endpoint subnet.')
output privateEndpointSubnetId string = '${virtualNetwork.id}/subnets/${privateEndpointSubnetName}'
