// Assertions on what main.bicep deploys, read from its compiled ARM JSON (`bicep build main.bicep
// --stdout`; modules are nested Microsoft.Resources/deployments with properties.template) and
// evaluated with checks/arm.mjs for the parameter values of `bicep build-params main.bicepparam` with
// no environment (the defaults), plus a few named scenarios (a small PostgreSQL server, public mode,
// the opt-ins). They pin the security and capacity defaults of issues 17 and 19:
//   - lifecycle: the blob lifecycle policy of the payload container (uploads/, jobs/);
//   - roles: least-privilege storage roles, one identity for the Functions host, one for the app;
//   - postgres: the app identity is not an Entra administrator unless opted in;
//   - network: private by default, no 0.0.0.0 firewall rule;
//   - scale: Flex Consumption scale-out within PostgreSQL's connection budget;
//   - api: the Durable Functions system key is not handed out.
//
//   node checks/template.mjs MAIN_JSON PARAMS_JSON MAIN_BICEPPARAM HOST_JSON
//
// Prints one "PASS  bicep template: NAME" or "FAIL  bicep template: NAME" line per assertion (a
// failure is followed by indented reasons) and exits 1 when any fails.
import { readFileSync } from 'node:fs';
import { expand, isOpaque } from './arm.mjs';

const [templatePath, paramsPath, bicepparamPath, hostJsonPath] = process.argv.slice(2);
const template = JSON.parse(readFileSync(templatePath, 'utf8'));
const compiledParams = JSON.parse(readFileSync(paramsPath, 'utf8'));
const givenValues = Object.fromEntries(Object.entries(JSON.parse(compiledParams.parametersJson).parameters ?? {}).map(([name, p]) => [name, p.value]));
const bicepparam = readFileSync(bicepparamPath, 'utf8');
const hostJson = JSON.parse(readFileSync(hostJsonPath, 'utf8'));

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const roles = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  'db58b8e5-c6ad-4a2a-8342-4190687cbf4a': 'Storage Blob Delegator',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
};
const roleName = (id) => roles[id] ?? `role ${id}`;

// The documented default max_connections of the default compute size, Standard_B2ms
// (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-limits), checked
// independently of the template's table.
const documentedB2msMaxConnections = 859;
const documentedB1msMaxConnections = 50;

const show = (value) => (isOpaque(value) ? value.toString() : JSON.stringify(value));
const labelOf = (value) => (isOpaque(value) ? value.label : typeof value === 'string' ? value : JSON.stringify(value));

/** What the template deploys for one set of parameter values. */
class Deployment {
  constructor(overrides = {}) {
    for (const name of Object.keys(overrides)) {
      if (!Object.hasOwn(template.parameters ?? {}, name)) throw new Error(`main.bicep has no parameter ${name}`);
    }
    this.expansion = expand(template, { parameterValues: { ...givenValues, ...overrides } });
    this.resources = this.expansion.resources;
  }

  param(name) {
    if (!Object.hasOwn(template.parameters ?? {}, name)) throw new Error(`main.bicep has no parameter ${name}`);
    return this.expansion.scope.parameter(name);
  }

  variable(name) {
    return this.expansion.scope.variable(name);
  }

  all(type) {
    return this.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
  }

  deployed(type) {
    return this.all(type).filter((r) => r.deployed === true);
  }

  module(name) {
    return this.all('Microsoft.Resources/deployments').find((r) => r.path.length === 0 && r.name === name);
  }

  one(type) {
    const found = this.deployed(type);
    if (found.length !== 1) throw new Error(`expected one deployed ${type}, found ${found.length}`);
    return found[0];
  }

  get functionApp() {
    return this.one('Microsoft.Web/sites');
  }

  get appSettings() {
    const config = this.deployed('Microsoft.Web/sites/config').find((r) => r.name.endsWith('/appsettings'));
    if (!config) throw new Error('no deployed Microsoft.Web/sites/config appsettings');
    return config.properties;
  }

  setting(name) {
    const settings = this.appSettings;
    if (!Object.hasOwn(settings, name)) throw new Error(`app setting ${name} is not set`);
    return settings[name];
  }

  get outputs() {
    this._outputs ??= this.expansion.outputs();
    return this._outputs;
  }

  /** The module (deployment name) of a user-assigned identity whose output `output` a value carries. */
  identityModule(value, output) {
    const match = new RegExp(`reference\\(([^()<>]+)\\)\\.outputs\\.${output}\\.value`).exec(labelOf(value));
    return match ? match[1] : null;
  }

  get payloadIdentity() {
    const module = this.identityModule(this.setting('BulkDurable__Identity__ManagedIdentityClientId'), 'clientId');
    if (!module) throw new Error('BulkDurable__Identity__ManagedIdentityClientId is not the client id of an identity module');
    return module;
  }

  get hostIdentity() {
    const module = this.identityModule(this.setting('AzureWebJobsStorage__clientId'), 'clientId');
    if (!module) throw new Error('AzureWebJobsStorage__clientId is not the client id of an identity module');
    return module;
  }

  /** Deployed role assignments: principal (label), role name, scope kind (account, container:NAME, other). */
  get roleAssignments() {
    return this.deployed('Microsoft.Authorization/roleAssignments').map((r) => {
      const properties = r.properties;
      const scope = r.assignmentScope ?? '';
      let scopeKind = 'other';
      let match;
      if ((match = /\/storageAccounts\/[^/]+\/blobServices\/default\/containers\/([^/]+)$/i.exec(scope))) scopeKind = `container:${match[1]}`;
      else if (/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(scope)) scopeKind = 'account';
      return {
        principal: labelOf(properties.principalId),
        role: roleName(String(labelOf(properties.roleDefinitionId)).split('/').pop()),
        scopeKind,
        scope,
      };
    });
  }

  principalOf(module) {
    return `reference(${module}).outputs.principalId.value`;
  }
}

const results = [];
function check(name, assertion) {
  let problems;
  try {
    problems = assertion() ?? [];
  } catch (error) {
    problems = [error.message];
  }
  const detail = typeof problems === 'string' ? problems : null;
  const list = Array.isArray(problems) ? problems : [];
  results.push({ name: detail ? `${name} (${detail})` : name, problems: list });
}

const defaults = new Deployment();

// ---------------------------------------------------------------------------------------------
// Blob lifecycle policy
// ---------------------------------------------------------------------------------------------

function lifecycleRules(d) {
  const policies = d.deployed('Microsoft.Storage/storageAccounts/managementPolicies');
  if (policies.length === 0) throw new Error('no Microsoft.Storage/storageAccounts/managementPolicies is deployed');
  return policies.flatMap((p) => p.properties.policy?.rules ?? []);
}

function deleteRule(d, prefix, days) {
  const rules = lifecycleRules(d);
  const container = d.param('payloadContainerName');
  const wanted = `${container}/${prefix}`;
  const rule = rules.find((r) => (r.definition?.filters?.prefixMatch ?? []).includes(wanted));
  if (!rule) return [`no lifecycle rule matches the prefix ${wanted}`];
  const problems = [];
  if (rule.enabled === false) problems.push(`rule ${rule.name} is disabled`);
  if (!(rule.definition.filters.blobTypes ?? []).includes('blockBlob')) problems.push(`rule ${rule.name} does not apply to block blobs`);
  const after = rule.definition.actions?.baseBlob?.delete?.daysAfterModificationGreaterThan;
  if (after !== days) problems.push(`rule ${rule.name} deletes after ${show(after)} days, not ${days}`);
  return problems;
}

check('lifecycle: staged payloads (uploads/) are deleted after uploadRetentionDays, default 2', () => {
  const days = defaults.param('uploadRetentionDays');
  const problems = deleteRule(defaults, 'uploads/', days);
  if (days !== 2) problems.push(`uploadRetentionDays defaults to ${show(days)}, not the documented 2`);
  return problems;
});

check('lifecycle: job files (jobs/: descriptor, manifest, chunk index, results) are deleted after jobRetentionDays, default 30', () => {
  const days = defaults.param('jobRetentionDays');
  const problems = deleteRule(defaults, 'jobs/', days);
  if (days !== 30) problems.push(`jobRetentionDays defaults to ${show(days)}, not the documented 30`);
  return problems;
});

check('lifecycle: the app purges Durable history and entity state after jobRetentionDays too (BulkDurable__Retention__JobHistory)', () => {
  const days = defaults.param('jobRetentionDays');
  const window = defaults.setting('BulkDurable__Retention__JobHistory');
  return window === `${days}.00:00:00` ? `${window}` : [`BulkDurable__Retention__JobHistory is ${show(window)}, expected ${days}.00:00:00`];
});

check('lifecycle: every rule is limited to a prefix of the payload container (host, Durable and package blobs untouched)', () => {
  const container = defaults.param('payloadContainerName');
  const problems = [];
  for (const rule of lifecycleRules(defaults)) {
    const prefixes = rule.definition?.filters?.prefixMatch ?? [];
    if (prefixes.length === 0) problems.push(`rule ${rule.name} has no prefixMatch: it applies to every container`);
    for (const prefix of prefixes) if (!prefix.startsWith(`${container}/`) || prefix === `${container}/`) problems.push(`rule ${rule.name} matches ${prefix}, outside ${container}/<prefix>`);
  }
  return problems;
});

// ---------------------------------------------------------------------------------------------
// Storage roles
// ---------------------------------------------------------------------------------------------

const storageRoles = new Set(['Storage Blob Data Owner', 'Storage Blob Data Contributor', 'Storage Blob Delegator', 'Storage Queue Data Contributor', 'Storage Table Data Contributor']);

check('roles: the app identity has Storage Blob Data Contributor on the payload container only', () => {
  const principal = defaults.principalOf(defaults.payloadIdentity);
  const container = defaults.param('payloadContainerName');
  const mine = defaults.roleAssignments.filter((a) => a.principal === principal && storageRoles.has(a.role));
  const problems = [];
  const contributor = mine.filter((a) => a.role === 'Storage Blob Data Contributor');
  if (!contributor.some((a) => a.scopeKind === `container:${container}`)) problems.push(`no Storage Blob Data Contributor on container ${container} for ${principal}`);
  for (const a of mine.filter((x) => x.scopeKind !== `container:${container}` && x.role !== 'Storage Blob Delegator')) problems.push(`${a.role} at ${a.scopeKind} scope (${a.scope})`);
  return problems;
});

check('roles: at account scope the app identity may only request user delegation keys (Storage Blob Delegator)', () => {
  const principal = defaults.principalOf(defaults.payloadIdentity);
  const atAccount = defaults.roleAssignments.filter((a) => a.principal === principal && a.scopeKind === 'account');
  const problems = atAccount.filter((a) => a.role !== 'Storage Blob Delegator').map((a) => `${a.role} on the storage account`);
  if (!atAccount.some((a) => a.role === 'Storage Blob Delegator')) problems.push('no Storage Blob Delegator on the storage account: upload URLs (user delegation SAS) cannot be signed');
  return problems;
});

check('roles: Blob Data Owner, Queue and Table Data Contributor on the account go to a separate host identity only', () => {
  const host = defaults.hostIdentity;
  const payload = defaults.payloadIdentity;
  const problems = [];
  if (host === payload) problems.push(`the Functions host and the app share the identity ${host}`);
  const assignments = defaults.roleAssignments;
  for (const role of ['Storage Blob Data Owner', 'Storage Queue Data Contributor', 'Storage Table Data Contributor']) {
    if (!assignments.some((a) => a.principal === defaults.principalOf(host) && a.role === role && a.scopeKind === 'account')) problems.push(`host identity ${host} lacks ${role} on the storage account`);
    for (const a of assignments.filter((x) => x.role === role && x.principal !== defaults.principalOf(host))) problems.push(`${role} (${a.scopeKind}) also goes to ${a.principal}`);
  }
  return problems;
});

check('roles: host settings, telemetry and the deployment package use the host identity; BulkDurable__Identity__ManagedIdentityClientId the app identity', () => {
  const host = defaults.hostIdentity;
  const payload = defaults.payloadIdentity;
  const problems = [];
  if (host === payload) problems.push(`AzureWebJobsStorage__clientId and BulkDurable__Identity__ManagedIdentityClientId are the same identity (${host})`);
  if (defaults.identityModule(defaults.setting('APPLICATIONINSIGHTS_AUTHENTICATION_STRING'), 'clientId') !== host) problems.push('APPLICATIONINSIGHTS_AUTHENTICATION_STRING does not use the host identity');
  const deployment = defaults.functionApp.properties.functionAppConfig?.deployment?.storage?.authentication?.userAssignedIdentityResourceId;
  if (defaults.identityModule(deployment, 'id') !== host) problems.push(`the deployment package is read with ${show(deployment)}, not the host identity`);
  const attached = Object.keys(defaults.functionApp.identity?.userAssignedIdentities ?? {}).map((k) => defaults.identityModule(k, 'id'));
  for (const module of new Set([host, payload])) if (!attached.includes(module)) problems.push(`identity ${module} is not attached to the function app`);
  const publisher = defaults.roleAssignments.filter((a) => a.role === 'Monitoring Metrics Publisher');
  if (!publisher.some((a) => a.principal === defaults.principalOf(host))) problems.push('the host identity cannot publish telemetry (Monitoring Metrics Publisher)');
  for (const a of publisher.filter((x) => x.principal !== defaults.principalOf(host))) problems.push(`Monitoring Metrics Publisher also goes to ${a.principal}`);
  return problems;
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL administrators
// ---------------------------------------------------------------------------------------------

const administrators = (d) => d.deployed('Microsoft.DBforPostgreSQL/flexibleServers/administrators').map((r) => ({ objectId: r.name.split('/').pop(), principalName: labelOf(r.properties.principalName) }));

check('postgres: the app identity is not an Entra administrator by default', () => {
  const appPrincipal = `<${defaults.principalOf(defaults.payloadIdentity)}>`;
  return administrators(defaults)
    .filter((a) => a.objectId === appPrincipal)
    .map((a) => `the app identity (${a.principalName}) is an Entra administrator (azure_pg_admin)`);
});

check('postgres: the deploying principal is the Entra administrator by default (principalId, else deployer())', () => {
  const problems = [];
  const fromDeployer = administrators(defaults);
  if (!fromDeployer.some((a) => a.objectId === '<deployer().objectId>' && a.principalName === 'deployer().userPrincipalName')) {
    problems.push(`with no environment, the administrators are ${show(fromDeployer)}, not deployer() (object id and user principal name)`);
  }
  const azdPrincipal = '11111111-2222-3333-4444-555555555555';
  const withAzd = administrators(new Deployment({ principalId: azdPrincipal }));
  if (!withAzd.some((a) => a.objectId === azdPrincipal)) problems.push(`with AZURE_PRINCIPAL_ID set, the administrators are ${show(withAzd)}, not ${azdPrincipal}`);
  return problems;
});

check('postgres: postgresAppIsAdministrator=true restores the app identity as Entra administrator (opt-in)', () => {
  const optIn = new Deployment({ postgresAppIsAdministrator: true });
  const appPrincipal = `<${optIn.principalOf(optIn.payloadIdentity)}>`;
  return administrators(optIn).some((a) => a.objectId === appPrincipal) ? [] : ['the opt-in does not make the app identity an administrator'];
});

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

check('network: private by default (VNet integration, private endpoints for blob, queue, table and PostgreSQL)', () => {
  const problems = [];
  if (defaults.param('vnetEnabled') !== true) problems.push(`vnetEnabled is ${show(defaults.param('vnetEnabled'))} with no environment`);
  if (!defaults.functionApp.properties.virtualNetworkSubnetId) problems.push('the function app is not VNet-integrated');
  const groups = defaults.deployed('Microsoft.Network/privateEndpoints').flatMap((p) => p.properties.privateLinkServiceConnections.flatMap((c) => c.properties.groupIds));
  for (const group of ['blob', 'queue', 'table', 'postgresqlServer']) if (!groups.includes(group)) problems.push(`no private endpoint for ${group}`);
  return problems;
});

check('network: storage public network access is disabled by default', () => {
  const account = defaults.one('Microsoft.Storage/storageAccounts').properties;
  const problems = [];
  if (account.publicNetworkAccess !== 'Disabled') problems.push(`publicNetworkAccess is ${show(account.publicNetworkAccess)}`);
  if (account.networkAcls?.defaultAction !== 'Deny') problems.push(`networkAcls.defaultAction is ${show(account.networkAcls?.defaultAction)}`);
  return problems;
});

check('network: PostgreSQL public network access is disabled by default', () => {
  const server = defaults.one('Microsoft.DBforPostgreSQL/flexibleServers').properties;
  return server.network?.publicNetworkAccess === 'Disabled' ? [] : [`network.publicNetworkAccess is ${show(server.network?.publicNetworkAccess)}`];
});

const allAzureRules = (d) => d.deployed('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules').filter((r) => r.properties.startIpAddress === '0.0.0.0');

check('network: no 0.0.0.0 (all Azure IPs) PostgreSQL firewall rule by default, in public mode only with postgresAllowAzureServices', () => {
  const problems = [];
  if (allAzureRules(defaults).length > 0) problems.push('the defaults deploy the 0.0.0.0 rule');
  if (allAzureRules(new Deployment({ vnetEnabled: false })).length > 0) problems.push('public mode (vnetEnabled=false) deploys the 0.0.0.0 rule without postgresAllowAzureServices');
  if (allAzureRules(new Deployment({ vnetEnabled: false, postgresAllowAzureServices: true })).length !== 1) problems.push('public mode with postgresAllowAzureServices=true does not deploy the 0.0.0.0 rule');
  return problems;
});

// ---------------------------------------------------------------------------------------------
// Scale-out within PostgreSQL's connection budget
// ---------------------------------------------------------------------------------------------

/** The numbers of the budget, read from what the template deploys. */
function budget(d) {
  const scale = d.functionApp.properties.functionAppConfig.scaleAndConcurrency;
  const alwaysReady = (name) => (scale.alwaysReady ?? []).find((a) => a.name === name)?.instanceCount ?? 0;
  const maxConnections = d.deployed('Microsoft.DBforPostgreSQL/flexibleServers/configurations').find((r) => r.name.endsWith('/max_connections'));
  if (!maxConnections) throw new Error('max_connections is not set on the PostgreSQL server');
  const numbers = {
    instances: scale.maximumInstanceCount,
    durableAlwaysReady: alwaysReady('durable'),
    httpAlwaysReady: alwaysReady('http'),
    activities: Number(d.setting('AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions')),
    reserved: d.param('postgresReservedConnections'),
    maxConnections: Number(maxConnections.properties.value),
  };
  for (const [name, value] of Object.entries(numbers)) if (!Number.isInteger(value)) throw new Error(`${name} is ${show(value)}, not a number`);
  // Always-ready instances do not count toward maximumInstanceCount, and the maximum applies to each
  // scale group (durable, http) separately. Durable instances run up to `activities` chunk loads
  // plus 2 connections of status reads; http instances only the status reads.
  numbers.durableInstances = numbers.instances + numbers.durableAlwaysReady;
  numbers.httpInstances = numbers.instances + numbers.httpAlwaysReady;
  numbers.worstCase = numbers.durableInstances * (numbers.activities + 2) + numbers.httpInstances * 2 + numbers.reserved;
  return numbers;
}

const arithmetic = (b) => `${b.durableInstances} x (${b.activities} + 2) + ${b.httpInstances} x 2 + ${b.reserved} = ${b.worstCase} <= ${b.maxConnections}`;

check('scale: max_connections is set on the server from postgresMaxConnections (the size default: 859 for Standard_B2ms)', () => {
  const b = budget(defaults);
  const problems = [];
  if (defaults.param('postgresSkuName') === 'Standard_B2ms' && b.maxConnections !== documentedB2msMaxConnections) problems.push(`max_connections is ${b.maxConnections}, not the documented ${documentedB2msMaxConnections} of Standard_B2ms`);
  const explicit = budget(new Deployment({ postgresMaxConnections: 400 }));
  if (explicit.maxConnections !== 400) problems.push(`postgresMaxConnections=400 sets max_connections to ${explicit.maxConnections}`);
  return problems;
});

check('scale: the per-instance activity concurrency app setting follows activitiesPerInstance (default = host.json)', () => {
  const activities = defaults.param('activitiesPerInstance');
  const setting = defaults.setting('AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions');
  const problems = [];
  if (setting !== String(activities)) problems.push(`the setting is ${show(setting)}, activitiesPerInstance ${show(activities)}`);
  const hostValue = hostJson.extensions?.durableTask?.maxConcurrentActivityFunctions;
  if (activities !== hostValue) problems.push(`activitiesPerInstance defaults to ${show(activities)}, host.json has ${show(hostValue)}`);
  return problems;
});

check('scale: worst-case PostgreSQL connections fit max_connections with the defaults', () => {
  const b = budget(defaults);
  const simple = b.instances * (b.activities + 2) + b.reserved;
  if (simple > b.maxConnections) return [`instances x (activities + 2) + reserved = ${simple} > ${b.maxConnections}`];
  if (b.worstCase > b.maxConnections) return [arithmetic(b).replace('<=', '>')];
  return arithmetic(b);
});

check('scale: on a small server (Standard_B1ms, 50 connections) maximumInstanceCount shrinks to fit', () => {
  const small = new Deployment({ postgresSkuName: 'Standard_B1ms' });
  const b = budget(small);
  const problems = [];
  if (b.maxConnections !== documentedB1msMaxConnections) problems.push(`max_connections is ${b.maxConnections}, not the documented ${documentedB1msMaxConnections} of Standard_B1ms`);
  if (b.instances >= small.param('maximumInstanceCount')) problems.push(`maximumInstanceCount stays at ${b.instances}`);
  if (b.instances < 1) problems.push(`maximumInstanceCount is ${b.instances}`);
  if (b.worstCase > b.maxConnections) problems.push(arithmetic(b).replace('<=', '>'));
  return problems.length ? problems : arithmetic(b);
});

check('scale: chunk loads are bounded by the host alone (instances x maxConcurrentActivityFunctions): no app setting claims an app-side budget', () => {
  const b = budget(defaults);
  const stray = Object.keys(defaults.appSettings).filter((name) => /MaxChunkLoads/i.test(name));
  const problems = stray.map((name) => `app setting ${name} is set, but the app reads no such option`);
  return problems.length ? problems : `${b.durableInstances} x ${b.activities} = ${b.durableInstances * b.activities} loads at most`;
});

check('scale: outputs show the derived budget, under names main.bicepparam does not read back', () => {
  const b = budget(defaults);
  const outputs = defaults.outputs;
  const expected = {
    BUDGET_MAXIMUM_INSTANCE_COUNT: b.instances,
    BUDGET_MAX_CHUNK_LOADS: b.durableInstances * b.activities,
    BUDGET_POSTGRES_MAX_CONNECTIONS: b.maxConnections,
  };
  const problems = [];
  for (const [name, value] of Object.entries(expected)) if (outputs[name] !== value) problems.push(`output ${name} is ${show(outputs[name])}, expected ${value}`);
  // azd writes every output into the environment, which main.bicepparam reads: an output named like
  // one of its variables would feed a derived value back in as the requested one.
  const read = new Set([...bicepparam.matchAll(/readEnvironmentVariable\('([A-Z0-9_]+)'/g)].map((m) => m[1]));
  const passThrough = new Set(['AZURE_LOCATION', 'AZURE_RESOURCE_GROUP']);
  for (const name of Object.keys(outputs)) if (read.has(name) && !passThrough.has(name)) problems.push(`output ${name} is also read by main.bicepparam`);
  return problems;
});

// ---------------------------------------------------------------------------------------------
// HTTP API
// ---------------------------------------------------------------------------------------------

check('api: BulkDurable__Api__ManagementLinks is None (the Durable system key is not handed out)', () => {
  const value = defaults.setting('BulkDurable__Api__ManagementLinks');
  return value === 'None' ? [] : [`BulkDurable__Api__ManagementLinks is ${show(value)}`];
});

for (const { name, problems } of results) {
  console.log(`${problems.length === 0 ? 'PASS' : 'FAIL'}  bicep template: ${name}`);
  for (const problem of problems) console.log(`      - ${problem}`);
}
process.exit(results.every((r) => r.problems.length === 0) ? 0 : 1);
