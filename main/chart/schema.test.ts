// values.schema.json checks with gojsonschema's texts (what Helm 3 prints).
import { describe, expect, it } from 'vitest';
import { formatSchemaErrors, validateValues } from './schema';

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['image'],
  additionalProperties: false,
  definitions: { port: { type: 'integer', minimum: 1, maximum: 65535 } },
  properties: {
    replicaCount: { type: 'integer', minimum: 0 },
    image: {
      type: 'object',
      required: ['repository'],
      properties: {
        repository: { type: 'string', minLength: 1, pattern: '^[a-z0-9./-]+$' },
        pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
        tag: { type: ['string', 'null'], maxLength: 5 },
      },
    },
    ports: { type: 'array', items: { $ref: '#/definitions/port' }, maxItems: 2 },
    mode: { const: 'prod' },
    size: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+Gi$' }] },
    kind: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    name: { allOf: [{ type: 'string' }, { minLength: 3 }] },
    notRoot: { not: { const: 'root' } },
  },
};

describe('values.schema.json validation', () => {
  it('accepts valid values, treating whole numbers as integers', () => {
    expect(validateValues(schema, { replicaCount: 3, image: { repository: 'nginx', tag: null }, ports: [80], size: '10Gi', kind: 'x', name: 'web' })).toEqual([]);
  });

  it('reports type errors with integer/number distinguished', () => {
    expect(formatSchemaErrors(validateValues(schema, { image: { repository: 'nginx' }, replicaCount: '3' }))).toBe('- replicaCount: Invalid type. Expected: integer, given: string\n');
    expect(formatSchemaErrors(validateValues(schema, { image: { repository: 'nginx' }, replicaCount: 1.5 }))).toBe('- replicaCount: Invalid type. Expected: integer, given: number\n');
  });

  it('reports required and additional properties at the object', () => {
    expect(formatSchemaErrors(validateValues(schema, { extra: 1 }))).toBe('- (root): image is required\n- (root): Additional property extra is not allowed\n');
    expect(formatSchemaErrors(validateValues(schema, { image: {} }))).toBe('- image: repository is required\n');
  });

  it('reports enum, const, ranges, lengths and patterns', () => {
    const errs = validateValues(schema, {
      image: { repository: 'Bad Name', pullPolicy: 'Sometimes', tag: 'toolong' },
      replicaCount: -1,
      mode: 'dev',
      ports: [0, 70000, 80],
    });
    expect(formatSchemaErrors(errs).split('\n').filter(Boolean).sort()).toEqual([
      '- image.pullPolicy: image.pullPolicy must be one of the following: "Always", "IfNotPresent", "Never"',
      "- image.repository: Does not match pattern '^[a-z0-9./-]+$'",
      '- image.tag: String length must be less than or equal to 5',
      '- mode: mode does not match: "prod"',
      '- ports.0: Must be greater than or equal to 1',
      '- ports.1: Must be less than or equal to 65535',
      '- ports: Array must have at most 2 items',
      '- replicaCount: Must be greater than or equal to 0',
    ]);
  });

  it('reports the combinators', () => {
    const base = { image: { repository: 'nginx' } };
    expect(formatSchemaErrors(validateValues(schema, { ...base, size: '10GB' }))).toBe("- size: Must validate at least one schema (anyOf)\n- size: Does not match pattern '^[0-9]+Gi$'\n");
    expect(formatSchemaErrors(validateValues(schema, { ...base, kind: true }))).toContain('- kind: Must validate one and only one schema (oneOf)\n');
    expect(formatSchemaErrors(validateValues(schema, { ...base, name: 'ab' }))).toBe('- name: String length must be greater than or equal to 3\n- name: Must validate all the schemas (allOf)\n');
    expect(formatSchemaErrors(validateValues(schema, { ...base, notRoot: 'root' }))).toBe('- notRoot: Must not validate the schema (not)\n');
  });

  it('treats --set integers (bigint) as integers', () => {
    expect(validateValues(schema, { image: { repository: 'nginx' }, replicaCount: 2n })).toEqual([]);
  });
});
