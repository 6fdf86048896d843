// Validates Grafana dashboards against the Grafana foundation SDK (npm @grafana/grafana-foundation-sdk, pinned in
// package.json): a JSON schema is generated from the SDK's TypeScript declarations (schema-types.ts) and ajv checks
// each dashboard, then each panel's `options` and `fieldConfig.defaults.custom` against its plugin's own types.
//   node validate.mjs [--json] [file.json …]      default: every ../json/*.json
// Exit code 0 when every file is valid, 1 when one is not, 2 on a usage or set-up error.
// The npm package ships TypeScript, not the JSON schema files of the SDK's repository, hence the generation step.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
let files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  const dir = join(here, '..', 'json');
  files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}

// Panel plugin id → the schema-types.ts aliases for its options and per-field config (undefined: not in the SDK).
const PLUGINS = {
  timeseries: { options: 'TimeseriesOptions', custom: 'TimeseriesFieldConfig' },
  stat: { options: 'StatOptions' },
  table: { options: 'TableOptions', custom: 'TableFieldConfig' },
  bargauge: { options: 'BargaugeOptions' },
  'state-timeline': { options: 'StatetimelineOptions', custom: 'StatetimelineFieldConfig' },
};

// Gaps in the SDK's schema, left alone and named here (and in dashboards/README.md):
export const GAPS = [
  'cog.Dataquery (a panel target) is an opaque variant marker with no properties in the SDK, so as generated it would ' +
    'refuse every query; it is loosened to "any object". The InfluxQL queries are checked against a real influxd by ' +
    'DashboardQueryTests instead.',
  'Panel.options is `any` in the dashboard model; options are checked per plugin type here instead (timeseries, stat, ' +
    'table, bargauge, state-timeline: the types these dashboards use).',
  'The stat and bargauge plugins define no per-field config type, so their fieldConfig.defaults.custom is not checked.',
];

// One schema per root type (the plugins' types share names such as Options and FieldConfig).
const roots = ['DashboardModel', ...new Set(Object.values(PLUGINS).flatMap((p) => [p.options, p.custom].filter(Boolean)))];
const ajv = new Ajv({ allErrors: true, strict: false });
try {
  const generator = createGenerator({
    path: join(here, 'schema-types.ts'),
    tsconfig: join(here, 'tsconfig.json'),
    expose: 'export',
    topRef: true,
    skipTypeCheck: true,
    additionalProperties: false,
  });
  for (const root of roots) {
    const schema = generator.createSchema(root);
    for (const name of Object.keys(schema.definitions ?? {})) {
      if (/(^|\.)Dataquery$/.test(name)) {
        schema.definitions[name] = { type: 'object' }; // gap 1 above
      }
    }
    delete schema.$schema;
    ajv.addSchema(schema, root);
  }
} catch (e) {
  console.error(`validate: could not generate the schema from the SDK (run npm ci in ${here}): ${e.message}`);
  process.exit(2);
}

const check = (type, value) => {
  const validate = ajv.getSchema(type);
  return validate(value) ? [] : validate.errors;
};

function panelsOf(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    for (const inner of p.panels ?? []) {
      out.push(inner);
    }
  }
  return out;
}

const report = [];
for (const file of files) {
  const errors = [];
  let doc;
  try {
    doc = JSON.parse(readFileSync(resolve(file), 'utf8'));
  } catch (e) {
    report.push({ file, valid: false, errors: [`not JSON: ${e.message}`] });
    continue;
  }
  for (const e of check('DashboardModel', doc)) {
    errors.push(`${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
  }
  panelsOf(doc).forEach((panel) => {
    const plugin = PLUGINS[panel.type];
    const where = `panel "${panel.title ?? panel.id}" (${panel.type})`;
    if (panel.type === 'row') {
      return;
    }
    if (!plugin) {
      errors.push(`${where}: no options type for this plugin in the SDK's checked set; add it to validate.mjs`);
      return;
    }
    for (const e of check(plugin.options, panel.options ?? {})) {
      errors.push(`${where} options${e.instancePath} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
    }
    if (plugin.custom && panel.fieldConfig?.defaults?.custom !== undefined) {
      for (const e of check(plugin.custom, panel.fieldConfig.defaults.custom)) {
        errors.push(`${where} fieldConfig.defaults.custom${e.instancePath} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
      }
    }
  });
  report.push({ file, valid: errors.length === 0, errors });
}

if (asJson) {
  console.log(JSON.stringify({ gaps: GAPS, files: report }, null, 2));
} else {
  for (const r of report) {
    console.log(`${r.valid ? 'valid  ' : 'INVALID'} ${r.file}`);
    for (const e of r.errors) {
      console.log(`  ${e}`);
    }
  }
}
process.exit(report.every((r) => r.valid) ? 0 : 1);
