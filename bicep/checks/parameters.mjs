// Checks the output of `bicep build-params --stdout` the way Azure Resource Manager checks a
// deployment's parameters before it starts: every parameter without a default has a value, and every
// value (given or default) has the declared type and meets allowedValues, minValue/maxValue and
// minLength/maxLength. `bicep build-params` checks types only where it can infer them (a value read
// from the environment is a string converted at deployment), so a bad default or environment value
// would otherwise surface only when `azd provision` runs.
//
//   bicep build-params main.bicepparam --stdout | node checks/parameters.mjs
//
// Prints one line per problem and exits 1 when there is any.
import { readFileSync } from 'node:fs';

const compiled = JSON.parse(readFileSync(0, 'utf8'));
const template = JSON.parse(compiled.templateJson);
const given = JSON.parse(compiled.parametersJson).parameters ?? {};

const typeOf = (value) => {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (Number.isInteger(value)) return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return typeof value;
};

const expressionLike = (value) => typeof value === 'string' && value.startsWith('[') && value.endsWith(']');

const problems = [];
for (const [name, declaration] of Object.entries(template.parameters ?? {})) {
  const has = Object.hasOwn(given, name);
  if (!has && !Object.hasOwn(declaration, 'defaultValue')) {
    problems.push(`${name}: no value and no default`);
    continue;
  }

  const value = has ? given[name].value : declaration.defaultValue;
  const origin = has ? 'value' : 'default';
  if (!has && expressionLike(value)) continue; // a default computed by ARM at deployment
  const declared = declaration.type.toLowerCase().replace(/^secure/, '');
  if (typeOf(value) !== declared) {
    problems.push(`${name}: ${origin} ${JSON.stringify(value)} is not of type ${declaration.type}`);
    continue;
  }

  if (declaration.allowedValues && !declaration.allowedValues.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    problems.push(`${name}: ${origin} ${JSON.stringify(value)} is not one of ${JSON.stringify(declaration.allowedValues)}`);
  }

  if (declaration.minValue !== undefined && value < declaration.minValue) {
    problems.push(`${name}: ${origin} ${value} is below minValue ${declaration.minValue}`);
  }

  if (declaration.maxValue !== undefined && value > declaration.maxValue) {
    problems.push(`${name}: ${origin} ${value} is above maxValue ${declaration.maxValue}`);
  }

  const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
  if (length !== undefined && declaration.minLength !== undefined && length < declaration.minLength) {
    problems.push(`${name}: ${origin} has length ${length}, below minLength ${declaration.minLength}`);
  }

  if (length !== undefined && declaration.maxLength !== undefined && length > declaration.maxLength) {
    problems.push(`${name}: ${origin} has length ${length}, above maxLength ${declaration.maxLength}`);
  }
}

for (const name of Object.keys(given)) {
  if (!Object.hasOwn(template.parameters ?? {}, name)) problems.push(`${name}: not a parameter of the template`);
}

for (const problem of problems) console.log(problem);
process.exit(problems.length === 0 ? 0 : 1);
