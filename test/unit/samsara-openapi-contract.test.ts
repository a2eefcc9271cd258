/**
 * Our Samsara schema and client against Samsara's own OpenAPI document (2025-10-23): the same
 * fields and constraints, and every request body the client sends valid under UpdateDriverRequest.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { updateDriverRequestFor } from '../../functions/providers/samsara/client';
import { updateDriverFields, updateDriverRequest } from '../../functions/providers/samsara/schema';

const openapi = JSON.parse(readFileSync(new URL('../fixtures/samsara-drivers-subset-openapi.json', import.meta.url), 'utf8'));
const schemas = openapi.components.schemas as Record<string, any>;

/** Resolves `$ref`s into plain JSON Schema and turns OpenAPI 3.0 `nullable` into a type union. */
const resolve = (node: any): any => {
  if (Array.isArray(node)) return node.map(resolve);
  if (!node || typeof node !== 'object') return node;
  if (node.$ref) return resolve(schemas[node.$ref.split('/').pop()]);
  const out: any = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'example' && key !== 'nullable') out[key] = resolve(value);
  return out;
};

const theirs = resolve(schemas.UpdateDriverRequest);
const ours = z.toJSONSchema(updateDriverFields, { io: 'input', unrepresentable: 'any' }) as any;

// Samsara documents the override as deletable with an explicit null (in prose); allow it as the API does.
const withDocumentedNull = structuredClone(theirs);
withDocumentedNull.properties.usDriverRulesetOverride = { anyOf: [theirs.properties.usDriverRulesetOverride, { type: 'null' }] };
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(withDocumentedNull);

const yesterday = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
const everyField = {
  attributes: [{ id: '123e4567-e89b-12d3-a456-426614174000', name: 'License Certifications', stringValues: ['HAZMAT'], numberValues: [1.5], dateValues: ['2026-01-31'] }],
  carrierSettings: { carrierName: 'Acme Inc.', dotNumber: 98231, homeTerminalAddress: '1234 Pear St., Scranton, PA 62814', homeTerminalName: 'Acme Inc.', mainOfficeAddress: '1234 Pear St.' },
  currentIdCardCode: '941767043',
  deactivatedAtTime: yesterday,
  driverActivationStatus: 'deactivated',
  eldAdverseWeatherExemptionEnabled: true,
  eldBigDayExemptionEnabled: false,
  eldDayStartHour: 12,
  eldExempt: true,
  eldExemptReason: 'Short haul',
  eldPcEnabled: true,
  eldYmEnabled: true,
  externalIds: { payrollId: 'ABFS18600' },
  hasDrivingFeaturesHidden: false,
  hasVehicleUnpinningEnabled: true,
  hosSetting: { heavyHaulExemptionToggleEnabled: false },
  licenseNumber: 'E1234567',
  licenseState: 'CA',
  locale: 'us',
  name: 'Susan Jones',
  notes: 'Also goes by the nickname Furious Fred.',
  password: 'aSecurePassword1234',
  peerGroupTagId: '3914',
  phone: '5558234327',
  profileImageBase64: '/9j/4AAQSkZJRgABAQEAYABgAAD',
  profileImageUrl: 'https://example.com/images/driver-profile.jpg',
  staticAssignedVehicleId: '456',
  tachographCardNumber: '1000000492436002',
  tagIds: ['147'],
  timezone: 'America/Los_Angeles',
  trailerGroupTagId: '342418',
  usDriverRulesetOverride: { cycle: 'Texas (7/70)', restart: '34-hour Restart', restbreak: 'None', usStateToOverride: 'TX' },
  username: 'SusanJones',
  vehicleGroupTagId: '342417',
  waitingTimeDutyStatusEnabled: true,
};

describe('Samsara UpdateDriverRequest contract', () => {
  it('our schema has exactly the fields of the OpenAPI document', () => {
    expect(Object.keys(ours.properties).sort()).toEqual(Object.keys(theirs.properties).sort());
  });

  it('our lengths and enums are the document’s', () => {
    for (const [field, spec] of Object.entries<any>(theirs.properties)) {
      const mine = ours.properties[field];
      const comparable = mine.anyOf ? mine.anyOf.find((s: any) => s.type !== 'null') : mine;
      for (const keyword of ['maxLength', 'minLength', 'enum']) {
        if (spec[keyword] !== undefined) expect({ field, [keyword]: comparable[keyword] }).toEqual({ field, [keyword]: spec[keyword] });
      }
    }
    const override = ours.properties.usDriverRulesetOverride.anyOf.find((s: any) => s.type === 'object');
    const theirOverride = theirs.properties.usDriverRulesetOverride;
    expect(override.required.sort()).toEqual([...theirOverride.required].sort());
    for (const key of theirOverride.required) expect(override.properties[key].enum).toEqual(theirOverride.properties[key].enum);
  });

  it.each([
    ['every field', everyField],
    ['a rename', { name: 'Susan B. Jones' }],
    ['a reactivation', { driverActivationStatus: 'active' }],
    ['deleting the ruleset override', { usDriverRulesetOverride: null }],
  ])('the body the client sends for %s is a valid UpdateDriverRequest', (_label, input) => {
    const body = updateDriverRequest.parse(input);
    const request = updateDriverRequestFor('payrollId:ABFS18600', body);
    expect(validate(request.body), JSON.stringify(validate.errors)).toBe(true);
    expect(request).toMatchObject({ method: 'PATCH', path: '/fleet/drivers/payrollId%3AABFS18600', headers: { 'x-samsara-version': '2025-10-23' } });
  });

  it('what Samsara’s document refuses, we refuse before sending', () => {
    for (const bad of [{ name: '' }, { name: 'x'.repeat(256) }, { username: 'x'.repeat(190) }, { notes: 'x'.repeat(4097) }, { locale: 'xx' }, { usDriverRulesetOverride: { cycle: 'Texas (7/70)' } }]) {
      expect(validate(bad)).toBe(false);
      expect(updateDriverRequest.safeParse(bad).success).toBe(false);
    }
  });
});
