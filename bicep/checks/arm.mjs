// A small evaluator of ARM template expressions, enough to read what a compiled Bicep template
// would deploy with given parameter values: parameters and variables (with copy loops), conditions,
// resource copy loops, nested deployments (Microsoft.Resources/deployments with properties.template,
// inner expression scope) and the functions Bicep emits for this repository's templates.
//
// What only Azure knows at deployment (reference() of a deployed resource or module output,
// tenant(), deployer(), guid() of such values...) evaluates to an Opaque value that carries a
// readable label, e.g. reference(identity).outputs.principalId.value. Strings built from it keep the
// label in angle brackets (format, concat), so a role assignment's scope can still be read as
// ".../storageAccounts/<reference(storage).outputs.name.value>/blobServices/default/containers/x".
// Anything it cannot evaluate becomes an Opaque "error: ..." value instead of a guess, so an
// assertion on it fails rather than passes.
//
// Used by checks/template.mjs; see there for what is asserted.
import { createHash } from 'node:crypto';

export class Opaque {
  /** `facts` records what is known about the value all the same, e.g. { empty: false }. */
  constructor(label, facts = {}) {
    this.label = label;
    this.facts = facts;
  }

  toString() {
    return `<${this.label}>`;
  }
}

export const isOpaque = (value) => value instanceof Opaque;
const labelOf = (value) => (isOpaque(value) ? value.label : JSON.stringify(value));

// ------------------------------------------------------------------------------------------------
// Parsing
// ------------------------------------------------------------------------------------------------

const expressionPattern = /^\[(?!\[)([\s\S]*)\]$/;

/** Whether a JSON string value is an ARM expression ("[...]", not the escaped "[[..."). */
export const isExpression = (value) => typeof value === 'string' && expressionPattern.test(value);

const astCache = new Map();

function parse(source) {
  if (astCache.has(source)) return astCache.get(source);
  let i = 0;
  const fail = (message) => {
    throw new Error(`${message} at ${i} in [${source}]`);
  };
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i])) i++;
  };
  const expect = (char) => {
    skipSpace();
    if (source[i] !== char) fail(`expected '${char}'`);
    i++;
  };

  const primary = () => {
    skipSpace();
    const c = source[i];
    if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) fail('unterminated string');
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i++];
      }
      return { kind: 'literal', value: text };
    }
    if (/[-0-9]/.test(c)) {
      const match = /^-?[0-9]+/.exec(source.slice(i));
      if (!match) fail('bad number');
      i += match[0].length;
      return { kind: 'literal', value: Number(match[0]) };
    }
    if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z0-9_.]+/.exec(source.slice(i));
      i += match[0].length;
      expect('(');
      const args = [];
      skipSpace();
      if (source[i] !== ')') {
        for (;;) {
          args.push(expression());
          skipSpace();
          if (source[i] === ',') {
            i++;
            continue;
          }
          break;
        }
      }
      expect(')');
      return { kind: 'call', name: match[0], args };
    }
    return fail(`unexpected '${c}'`);
  };

  const expression = () => {
    let node = primary();
    for (;;) {
      skipSpace();
      if (source[i] === '.') {
        i++;
        const match = /^[A-Za-z0-9_$]+/.exec(source.slice(i));
        if (!match) fail('expected a property name');
        i += match[0].length;
        node = { kind: 'property', target: node, name: match[0] };
      } else if (source[i] === '[') {
        i++;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  };

  const ast = expression();
  skipSpace();
  if (i !== source.length) fail('trailing text');
  astCache.set(source, ast);
  return ast;
}

// ------------------------------------------------------------------------------------------------
// Values
// ------------------------------------------------------------------------------------------------

const typeOf = (value) => {
  if (Array.isArray(value)) return 'array';
  if (value === null || value === undefined) return 'null';
  return typeof value;
};

function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toArmString(value) {
  if (isOpaque(value)) return value.toString();
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

function hashString(parts, length) {
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, length);
}

function resourcePath(type, names) {
  const [namespace, ...types] = type.split('/');
  if (types.length !== names.length) throw new Error(`resource id of ${type} needs ${types.length} names, got ${names.length}`);
  return `providers/${namespace}/${types.map((t, k) => `${t}/${toArmString(names[k])}`).join('/')}`;
}

// ------------------------------------------------------------------------------------------------
// Evaluation
// ------------------------------------------------------------------------------------------------

/**
 * One deployment's evaluation scope: its template, parameter values, variables, the subscription
 * and resource group it targets, and the current copy indexes and lambda variables.
 */
export class Scope {
  constructor({ template, parameterValues = {}, subscriptionId, resourceGroup = null, path = [], deployerKind = 'user' }) {
    this.template = template;
    this.deployerKind = deployerKind;
    this.given = parameterValues;
    this.subscriptionId = subscriptionId;
    this.resourceGroup = resourceGroup;
    this.path = path;
    this.parameterCache = new Map();
    this.variableCache = new Map();
    this.copy = {};
    this.lambda = [];
  }

  /** A child scope sharing parameters and variables, with extra copy indexes or lambda variables. */
  with({ copy, lambda }) {
    const child = Object.create(this);
    child.copy = copy ? { ...this.copy, ...copy } : this.copy;
    child.lambda = lambda ? [lambda, ...this.lambda] : this.lambda;
    return child;
  }

  parameter(name) {
    if (this.parameterCache.has(name)) return this.parameterCache.get(name);
    const declaration = this.template.parameters?.[name];
    if (!declaration) throw new Error(`no parameter ${name}`);
    let value;
    if (Object.hasOwn(this.given, name)) value = this.given[name];
    else if (Object.hasOwn(declaration, 'defaultValue')) value = this.evaluate(declaration.defaultValue);
    else value = new Opaque(`parameter ${name} has no value`);
    this.parameterCache.set(name, value);
    return value;
  }

  variable(name) {
    if (this.variableCache.has(name)) return this.variableCache.get(name);
    const variables = this.template.variables ?? {};
    let value;
    const loop = (variables.copy ?? []).find((entry) => entry.name === name);
    if (loop) {
      const count = this.evaluate(loop.count);
      value = [];
      for (let k = 0; k < count; k++) value.push(this.with({ copy: { [name]: k } }).evaluate(loop.input));
    } else if (Object.hasOwn(variables, name)) {
      value = this.evaluate(variables[name]);
    } else {
      throw new Error(`no variable ${name}`);
    }
    this.variableCache.set(name, value);
    return value;
  }

  /** Evaluates a template value: expressions, and objects and arrays deeply (with property copy loops). */
  evaluate(value) {
    if (typeof value === 'string') {
      if (isExpression(value)) return this.node(parse(value.slice(1, -1)));
      return value.startsWith('[[') ? value.slice(1) : value;
    }
    if (Array.isArray(value)) return value.map((item) => this.evaluate(item));
    if (value && typeof value === 'object') {
      const result = {};
      for (const [key, item] of Object.entries(value)) {
        if (key === 'copy' && Array.isArray(item) && item.every((entry) => entry && entry.name && 'input' in entry)) {
          for (const entry of item) {
            const count = this.evaluate(entry.count);
            result[entry.name] = [];
            for (let k = 0; k < count; k++) result[entry.name].push(this.with({ copy: { [entry.name]: k } }).evaluate(entry.input));
          }
          continue;
        }
        const name = toArmString(this.evaluate(key));
        result[name] = this.evaluate(item);
      }
      return result;
    }
    return value;
  }

  /** Like evaluate, but a failure becomes an Opaque error value instead of an exception. */
  tryEvaluate(value) {
    try {
      return this.evaluate(value);
    } catch (error) {
      return new Opaque(`error: ${error.message}`);
    }
  }

  node(ast) {
    switch (ast.kind) {
      case 'literal':
        return ast.value;
      case 'property': {
        const target = this.node(ast.target);
        return property(target, ast.name);
      }
      case 'index': {
        const target = this.node(ast.target);
        const index = this.node(ast.index);
        if (isOpaque(index)) return new Opaque(`${labelOf(target)}[${labelOf(index)}]`);
        return property(target, index);
      }
      case 'call':
        return this.call(ast.name, ast.args);
      default:
        throw new Error(`unknown node ${ast.kind}`);
    }
  }

  call(name, argNodes) {
    const lower = name.toLowerCase();
    // Special forms: arguments evaluated lazily.
    if (lower === 'if') {
      const condition = this.node(argNodes[0]);
      if (isOpaque(condition)) return new Opaque(`if(${condition.label}, ...)`);
      return this.node(condition ? argNodes[1] : argNodes[2]);
    }
    if (lower === 'lambda') {
      const names = argNodes.slice(0, -1).map((n) => this.node(n));
      const body = argNodes[argNodes.length - 1];
      const scope = this;
      return { lambda: (...values) => scope.with({ lambda: Object.fromEntries(names.map((n, k) => [n, values[k]])) }).node(body) };
    }
    if (lower === 'lambdavariables') {
      const variableName = this.node(argNodes[0]);
      for (const frame of this.lambda) if (Object.hasOwn(frame, variableName)) return frame[variableName];
      throw new Error(`no lambda variable ${variableName}`);
    }
    if (lower === 'coalesce') {
      for (const n of argNodes) {
        const value = this.node(n);
        if (value !== null && value !== undefined) return value;
      }
      return null;
    }

    const args = argNodes.map((n) => this.node(n));
    const fn = functions[lower];
    if (!fn) throw new Error(`unsupported function ${name}()`);
    if (!opaqueAware.has(lower) && args.some(isOpaque)) return new Opaque(`${name}(${args.map(labelOf).join(', ')})`);
    return fn.call(this, ...args);
  }
}

function property(target, name) {
  if (isOpaque(target)) return new Opaque(`${target.label}.${name}`);
  if (target === null || target === undefined) throw new Error(`property ${name} of null`);
  if (Array.isArray(target)) {
    if (typeof name !== 'number' || name < 0 || name >= target.length) throw new Error(`index ${name} out of range`);
    return target[name];
  }
  if (typeof target === 'object') {
    if (Object.hasOwn(target, name)) return target[name];
    const key = Object.keys(target).find((k) => k.toLowerCase() === String(name).toLowerCase());
    if (key !== undefined) return target[key];
    throw new Error(`no property ${name}`);
  }
  throw new Error(`property ${name} of a ${typeOf(target)}`);
}

// Functions that handle Opaque arguments themselves; every other function returns an Opaque value
// when any argument is one.
const opaqueAware = new Set([
  'format',
  'concat',
  'createobject',
  'createarray',
  'reference',
  'string',
  'union',
  'equals',
  'empty',
  'not',
  'and',
  'or',
  'contains',
  'json',
  'tryget',
  // Resource ids keep an unknown name inside the id string: .../storageAccounts/<label>/...
  'resourceid',
  'subscriptionresourceid',
  'extensionresourceid',
  'tenantresourceid',
]);

const functions = {
  parameters(name) {
    return this.parameter(name);
  },
  variables(name) {
    return this.variable(name);
  },
  copyindex(nameOrOffset, offset) {
    if (typeof nameOrOffset === 'string') return (this.copy[nameOrOffset] ?? failWith(`no copy loop ${nameOrOffset}`)) + (offset ?? 0);
    return (this.copy[''] ?? failWith('copyIndex() outside a copy loop')) + (nameOrOffset ?? 0);
  },
  format(template, ...args) {
    return String(template).replace(/\{(\d+)(:[^}]*)?\}/g, (_, k) => toArmString(args[Number(k)]));
  },
  concat(...args) {
    if (args.length > 0 && args.every((a) => Array.isArray(a))) return args.flat(1);
    return args.map(toArmString).join('');
  },
  string(value) {
    return toArmString(value);
  },
  int(value) {
    return Math.trunc(Number(value));
  },
  bool(value) {
    return typeof value === 'string' ? value.toLowerCase() === 'true' : Boolean(value);
  },
  json(value) {
    return isOpaque(value) ? value : JSON.parse(value);
  },
  null() {
    return null;
  },
  true() {
    return true;
  },
  false() {
    return false;
  },
  createobject(...args) {
    const result = {};
    for (let k = 0; k < args.length; k += 2) result[toArmString(args[k])] = args[k + 1];
    return result;
  },
  createarray(...args) {
    return args;
  },
  union(...args) {
    if (args.some(isOpaque)) return new Opaque(`union(${args.map(labelOf).join(', ')})`);
    if (args.every(Array.isArray)) {
      const out = [];
      for (const item of args.flat(1)) if (!out.some((o) => deepEqual(o, item))) out.push(item);
      return out;
    }
    return Object.assign({}, ...args);
  },
  equals(a, b) {
    if (isOpaque(a) || isOpaque(b)) return new Opaque(`equals(${labelOf(a)}, ${labelOf(b)})`);
    return deepEqual(a, b);
  },
  not(value) {
    if (isOpaque(value)) return new Opaque(`not(${value.label})`);
    return !value;
  },
  and(...args) {
    if (args.some((a) => a === false)) return false;
    if (args.some(isOpaque)) return new Opaque(`and(${args.map(labelOf).join(', ')})`);
    return true;
  },
  or(...args) {
    if (args.some((a) => a === true)) return true;
    if (args.some(isOpaque)) return new Opaque(`or(${args.map(labelOf).join(', ')})`);
    return false;
  },
  empty(value) {
    if (isOpaque(value)) return value.facts.empty ?? new Opaque(`empty(${value.label})`);
    if (value === null || value === undefined) return true;
    if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
    if (typeof value === 'object') return Object.keys(value).length === 0;
    return false;
  },
  contains(container, item) {
    if (isOpaque(container) || isOpaque(item)) return new Opaque(`contains(${labelOf(container)}, ${labelOf(item)})`);
    if (typeof container === 'string') return container.toLowerCase().includes(String(item).toLowerCase());
    if (Array.isArray(container)) return container.some((c) => deepEqual(c, item));
    return Object.keys(container ?? {}).some((k) => k.toLowerCase() === String(item).toLowerCase());
  },
  length(value) {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    return Object.keys(value ?? {}).length;
  },
  greater: (a, b) => a > b,
  greaterorequals: (a, b) => a >= b,
  less: (a, b) => a < b,
  lessorequals: (a, b) => a <= b,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div(a, b) {
    if (b === 0) throw new Error('division by zero');
    return Math.trunc(a / b);
  },
  mod: (a, b) => a % b,
  min: (...args) => Math.min(...args.flat(1)),
  max: (...args) => Math.max(...args.flat(1)),
  tolower: (s) => String(s).toLowerCase(),
  toupper: (s) => String(s).toUpperCase(),
  trim: (s) => String(s).trim(),
  replace: (s, from, to) => String(s).split(from).join(to),
  split: (s, delimiters) => {
    const list = Array.isArray(delimiters) ? delimiters : [delimiters];
    let parts = [String(s)];
    for (const d of list) parts = parts.flatMap((p) => p.split(d));
    return parts;
  },
  join: (array, delimiter) => array.map(toArmString).join(delimiter),
  startswith: (s, prefix) => String(s).toLowerCase().startsWith(String(prefix).toLowerCase()),
  endswith: (s, suffix) => String(s).toLowerCase().endsWith(String(suffix).toLowerCase()),
  indexof: (s, item) => String(s).toLowerCase().indexOf(String(item).toLowerCase()),
  substring: (s, start, length) => String(s).substr(start, length ?? String(s).length - start),
  first: (v) => (typeof v === 'string' ? v.slice(0, 1) : v[0]),
  last: (v) => (typeof v === 'string' ? v.slice(-1) : v[v.length - 1]),
  take: (v, n) => v.slice(0, Math.max(0, n)),
  skip: (v, n) => v.slice(Math.max(0, n)),
  range: (start, count) => Array.from({ length: count }, (_, k) => start + k),
  objectkeys: (o) => Object.keys(o),
  items: (o) => Object.entries(o).map(([key, value]) => ({ key, value })),
  tryget(target, ...keys) {
    let value = target;
    for (const key of keys) {
      if (isOpaque(value)) return new Opaque(`${value.label}.${key}`);
      if (value === null || value === undefined || typeof value !== 'object') return null;
      if (Array.isArray(value)) value = value[key] ?? null;
      else value = Object.hasOwn(value, key) ? value[key] : null;
    }
    return value;
  },
  map: (array, fn) => array.map((item, k) => fn.lambda(item, k)),
  filter: (array, fn) => array.filter((item, k) => {
    const keep = fn.lambda(item, k);
    if (isOpaque(keep)) throw new Error(`filter on an unknown value (${keep.label})`);
    return keep;
  }),
  reduce: (array, initial, fn) => array.reduce((acc, item, k) => fn.lambda(acc, item, k), initial),
  uniquestring: (...parts) => hashString(parts.map(toArmString), 13),
  guid: (...parts) => {
    const h = hashString(parts.map(toArmString), 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  },
  subscription() {
    return { id: `/subscriptions/${this.subscriptionId}`, subscriptionId: this.subscriptionId, tenantId: new Opaque('tenant().tenantId'), displayName: new Opaque('subscription().displayName') };
  },
  resourcegroup() {
    if (!this.resourceGroup) throw new Error('resourceGroup() outside a resource group deployment');
    return { id: `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}`, name: this.resourceGroup, location: new Opaque('resourceGroup().location') };
  },
  tenant() {
    return new Opaque('tenant()');
  },
  deployer() {
    // The principal running the deployment: a user has a user principal name, a service principal
    // or managed identity an empty one (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-deployment#deployer).
    const user = this.deployerKind !== 'servicePrincipal';
    return {
      objectId: new Opaque('deployer().objectId', { empty: false }),
      tenantId: new Opaque('deployer().tenantId', { empty: false }),
      userPrincipalName: user ? new Opaque('deployer().userPrincipalName', { empty: false }) : '',
    };
  },
  deployment() {
    return new Opaque('deployment()');
  },
  environment() {
    return {
      name: 'AzureCloud',
      suffixes: { storage: 'core.windows.net', sqlServerHostname: '.database.windows.net', keyvaultDns: '.vault.azure.net' },
      authentication: { loginEndpoint: 'https://login.microsoftonline.com/' },
    };
  },
  resourceid(...args) {
    const typeIndex = args.findIndex((a) => typeof a === 'string' && a.includes('/'));
    if (typeIndex < 0) throw new Error('resourceId() without a resource type');
    const prefix = args.slice(0, typeIndex);
    const subscriptionId = prefix.length === 2 ? toArmString(prefix[0]) : this.subscriptionId;
    const group = prefix.length === 2 ? toArmString(prefix[1]) : prefix.length === 1 ? toArmString(prefix[0]) : this.resourceGroup;
    const path = resourcePath(args[typeIndex], args.slice(typeIndex + 1));
    return group ? `/subscriptions/${subscriptionId}/resourceGroups/${group}/${path}` : `/subscriptions/${subscriptionId}/${path}`;
  },
  subscriptionresourceid(...args) {
    const typeIndex = args.findIndex((a) => typeof a === 'string' && a.includes('/'));
    const subscriptionId = typeIndex === 1 ? toArmString(args[0]) : this.subscriptionId;
    return `/subscriptions/${subscriptionId}/${resourcePath(args[typeIndex], args.slice(typeIndex + 1))}`;
  },
  tenantresourceid(type, ...names) {
    return `/${resourcePath(type, names)}`;
  },
  extensionresourceid(scopeId, type, ...names) {
    return `${toArmString(scopeId)}/${resourcePath(type, names)}`;
  },
  reference(id) {
    const name = isOpaque(id) ? id.label : String(id).split('/').pop();
    return new Opaque(`reference(${name})`);
  },
  list() {
    return new Opaque('list()');
  },
};
function failWith(message) {
  throw new Error(message);
}

// ------------------------------------------------------------------------------------------------
// Expansion of a deployment into the resources it deploys
// ------------------------------------------------------------------------------------------------

/**
 * One resource instance of an expanded deployment. `deployed` is true, false or an Opaque value
 * (a condition only Azure can decide); `properties` are evaluated on first access.
 */
class ResourceInstance {
  constructor({ scope, definition, deployed, copyIndex }) {
    this.scope = scope;
    this.definition = definition;
    this.deployed = deployed;
    this.copyIndex = copyIndex;
    this.type = definition.type;
    this.path = scope.path;
    this.name = toArmString(scope.tryEvaluate(definition.name));
    this.assignmentScope = definition.scope === undefined ? undefined : toArmString(scope.tryEvaluate(definition.scope));
  }

  get properties() {
    if (!this._properties) this._properties = this.scope.tryEvaluate(this.definition.properties ?? {});
    return this._properties;
  }

  get identity() {
    return this.scope.tryEvaluate(this.definition.identity ?? null);
  }

  /** Where the resource sits: the chain of module (deployment) names, then its type and name. */
  get where() {
    return `${[...this.path].join(' > ') || 'main'}: ${this.type} ${this.name}`;
  }
}

/**
 * Expands a compiled template with parameter values into every resource instance it would deploy,
 * nested deployments included (their own resources follow them in the list).
 */
export function expand(template, { parameterValues = {}, subscriptionId = '00000000-0000-0000-0000-000000000000', resourceGroup = null, deployerKind = 'user' } = {}) {
  const scope = new Scope({ template, parameterValues, subscriptionId, resourceGroup, deployerKind });
  const resources = [];
  expandInto(resources, scope, true);
  return { scope, resources, outputs: () => evaluateOutputs(scope) };
}

function definitionsOf(template) {
  const resources = template.resources ?? [];
  return Array.isArray(resources) ? resources : Object.values(resources).filter((r) => !r.existing);
}

function expandInto(resources, scope, parentDeployed) {
  for (const definition of definitionsOf(scope.template)) {
    const instances = [];
    if (definition.copy) {
      const count = scope.tryEvaluate(definition.copy.count);
      if (isOpaque(count)) {
        instances.push(scope.with({ copy: { '': 0, [definition.copy.name]: 0 } }));
      } else {
        for (let k = 0; k < count; k++) instances.push(scope.with({ copy: { '': k, [definition.copy.name]: k } }));
      }
    } else {
      instances.push(scope);
    }

    for (const instanceScope of instances) {
      const condition = definition.condition === undefined ? true : instanceScope.tryEvaluate(definition.condition);
      const deployed = parentDeployed === true ? condition : parentDeployed === false || condition === false ? false : new Opaque('condition');
      const instance = new ResourceInstance({ scope: instanceScope, definition, deployed, copyIndex: instanceScope.copy[''] });
      resources.push(instance);

      if (definition.type.toLowerCase() === 'microsoft.resources/deployments' && definition.properties?.template) {
        const inner = definition.properties.expressionEvaluationOptions?.scope?.toLowerCase() === 'inner';
        const values = {};
        for (const [name, parameter] of Object.entries(definition.properties.parameters ?? {})) {
          // Bicep writes { "value": ... } or, for a conditional value, one expression yielding it.
          const wrapper = typeof parameter === 'string' ? instanceScope.tryEvaluate(parameter) : parameter;
          if (isOpaque(wrapper)) values[name] = wrapper;
          else if (wrapper && 'value' in wrapper) values[name] = typeof parameter === 'string' ? wrapper.value : instanceScope.tryEvaluate(wrapper.value);
          else values[name] = new Opaque(`parameter ${name} from a reference`);
        }
        const group = definition.resourceGroup !== undefined ? toArmString(instanceScope.tryEvaluate(definition.resourceGroup)) : instanceScope.resourceGroup;
        const subscription = definition.subscriptionId !== undefined ? toArmString(instanceScope.tryEvaluate(definition.subscriptionId)) : instanceScope.subscriptionId;
        const child = inner
          ? new Scope({ template: definition.properties.template, parameterValues: values, subscriptionId: subscription, resourceGroup: group, path: [...scope.path, instance.name], deployerKind: scope.deployerKind })
          : Object.assign(Object.create(instanceScope), { template: { ...scope.template, resources: definition.properties.template.resources }, path: [...scope.path, instance.name] });
        instance.module = child;
        expandInto(resources, child, deployed);
      }
    }
  }
}

function evaluateOutputs(scope) {
  const outputs = {};
  for (const [name, output] of Object.entries(scope.template.outputs ?? {})) {
    if (output.copy) {
      const count = scope.tryEvaluate(output.copy.count);
      outputs[name] = isOpaque(count) ? count : Array.from({ length: count }, (_, k) => scope.with({ copy: { '': k } }).tryEvaluate(output.copy.input));
    } else {
      outputs[name] = scope.tryEvaluate(output.value);
    }
  }
  return outputs;
}
