// The report's own styling: system fonts only (the file must open offline, so no web fonts).
export const REPORT_CSS = `
:root { --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --card: #ffffff;
  --pass: #1b7f3b; --pass-bg: #e3f6e8; --fail: #c62828; --fail-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4dc; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 40px; }
header.verdict { border-radius: 10px; padding: 18px 22px; margin-bottom: 18px; border: 1px solid var(--line); }
header.pass { background: var(--pass-bg); border-color: #b7e4c4; }
header.fail { background: var(--fail-bg); border-color: #f5c2bd; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; color: #fff; font-size: 15px; margin-right: 10px; vertical-align: 2px; }
header.pass .badge { background: var(--pass); }
header.fail .badge { background: var(--fail); }
header .stop { font-weight: 600; color: var(--fail); }
header p { margin: 0; color: var(--muted); }
.notes { list-style: none; padding: 0; margin: 0 0 18px; }
.notes li { background: var(--warn-bg); color: var(--warn); border-radius: 6px; padding: 8px 12px; margin-bottom: 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.bad .value { color: var(--fail); }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin-bottom: 18px; overflow-x: auto; }
section.panel h2 { font-size: 16px; margin: 0 0 10px; }
section.panel p.hint { color: var(--muted); margin: -6px 0 10px; font-size: 13px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 18px; }
.grid2 > section.panel { margin-bottom: 0; min-width: 0; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 18px; margin-top: 18px; }
.chart { width: 100%; min-height: 280px; }
table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
table.data th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
table.data th:first-child, table.data td:first-child { text-align: left; }
table.data td.text, table.data th.text { text-align: left; white-space: normal; }
table.data tr.total td { font-weight: 600; border-top: 2px solid var(--line); }
.verdict-pass { color: var(--pass); font-weight: 600; }
.verdict-fail { color: var(--fail); font-weight: 600; }
.verdict-deferred { color: var(--warn); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
.uplot { font-family: inherit; }
`;
