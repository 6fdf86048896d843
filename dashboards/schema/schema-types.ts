// The types the dashboards are checked against, all from the Grafana foundation SDK (package.json pins the version):
// the dashboard model, and each panel plugin's options and per-field config. validate.mjs turns them into one JSON
// schema per type with ts-json-schema-generator (interfaces, so each keeps its own name).
import type * as dashboard from './node_modules/@grafana/grafana-foundation-sdk/dist/dashboard/types.gen';
import type * as timeseries from './node_modules/@grafana/grafana-foundation-sdk/dist/timeseries/types.gen';
import type * as stat from './node_modules/@grafana/grafana-foundation-sdk/dist/stat/types.gen';
import type * as table from './node_modules/@grafana/grafana-foundation-sdk/dist/table/types.gen';
import type * as bargauge from './node_modules/@grafana/grafana-foundation-sdk/dist/bargauge/types.gen';
import type * as statetimeline from './node_modules/@grafana/grafana-foundation-sdk/dist/statetimeline/types.gen';

export interface DashboardModel extends dashboard.Dashboard {}
export interface TimeseriesOptions extends timeseries.Options {}
export interface TimeseriesFieldConfig extends timeseries.FieldConfig {}
export interface StatOptions extends stat.Options {}
export interface TableOptions extends table.Options {}
export interface TableFieldConfig extends table.FieldConfig {}
export interface BargaugeOptions extends bargauge.Options {}
export interface StatetimelineOptions extends statetimeline.Options {}
export interface StatetimelineFieldConfig extends statetimeline.FieldConfig {}
