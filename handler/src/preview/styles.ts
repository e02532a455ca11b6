/*
 * Styles for the preview page and gallery. Each channel's look follows its
 * client closely enough to judge a message: Slack's message + attachment
 * layout, Google Chat's card, Teams around the Adaptive Card (which styles
 * itself from the host config), an email client's header block.
 */

const CSS = `
:root { --ink: #1d2330; --muted: #5f6b7a; --line: #dde1e6; --bg: #f4f5f7; --card: #fff;
  --critical: #D13212; --high: #FF9900; --medium: #F2C94C; --low: #3B82F6; }
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
body { margin: 0; }
code, pre, .json { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
[hidden] { display: none !important; }
a { color: #1264a3; }

.page-header { background: #232f3e; color: #fff; padding: 20px 28px; }
.page-header h1 { margin: 0 0 4px; font-size: 22px; }
.page-header p { margin: 2px 0; color: #d5dbe1; max-width: 1100px; }
.page-header code { color: #fff; }
.summary { margin: 16px 28px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; overflow-x: auto; }
.summary h2 { font-size: 15px; margin: 0 0 8px; }
.summary table { border-collapse: collapse; min-width: 640px; }
.summary th, .summary td { text-align: left; padding: 4px 14px 4px 0; border-bottom: 1px solid #eef0f2; white-space: nowrap; }
.summary td.num, .summary th.num { text-align: right; }
.summary .note { color: var(--muted); margin: 8px 0 0; white-space: normal; }

.filters { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 14px; align-items: center;
  padding: 10px 28px; background: rgba(244,245,247,.96); border-bottom: 1px solid var(--line); }
.filters .group { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
.filters .group-label { color: var(--muted); font-weight: 600; margin-right: 4px; }
.filters button { font: inherit; border: 1px solid #c3c9d0; background: #fff; border-radius: 14px; padding: 3px 11px; cursor: pointer; }
.filters button[aria-pressed="true"] { background: #232f3e; border-color: #232f3e; color: #fff; }
.filter-count { color: var(--muted); }
.toc { margin: 0 28px 8px; color: var(--muted); }
.toc a { margin-right: 10px; white-space: nowrap; display: inline-block; }

.finding { margin: 18px 28px 28px; }
.finding-head { display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; border-bottom: 2px solid var(--line); padding-bottom: 6px; }
.finding-head h2 { margin: 0; font-size: 18px; }
.finding-head .type { font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: var(--muted); overflow-wrap: anywhere; }
.finding-why { margin: 6px 0 10px; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 3px; font-weight: 700; font-size: 12px; color: #fff; background: #8d99a6; }
.badge.CRITICAL { background: var(--critical); } .badge.HIGH { background: var(--high); color: #1b1b1b; }
.badge.MEDIUM { background: var(--medium); color: #1b1b1b; } .badge.LOW { background: var(--low); }
.badge.marker { background: #fff; color: var(--muted); border: 1px solid var(--muted); }
.deliveries { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; align-items: start; }
.delivery { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0 0 12px; min-width: 0; }
.delivery > h3 { margin: 0 0 12px; padding: 8px 14px; font-size: 13px; border-bottom: 1px solid var(--line); background: #fafbfc; border-radius: 8px 8px 0 0; display: flex; justify-content: space-between; gap: 8px; }
.delivery > h3 .where { color: var(--muted); font-weight: 400; }
.delivery > .view { padding: 0 14px; overflow-wrap: anywhere; }
.skips { margin: 10px 0 0; padding: 0; list-style: none; color: var(--muted); display: flex; flex-wrap: wrap; gap: 6px 14px; }
.skips li::before { content: "⊘ "; }
.unsupported { color: #a40000; font-style: italic; }
details.payload, details.raw { margin: 10px 14px 0; }
details.payload { margin: 10px 0 0; }
details > summary { cursor: pointer; color: var(--muted); }
.json { background: #f6f8fa; border: 1px solid #e4e8ec; border-radius: 4px; padding: 8px 10px; font-size: 12px; line-height: 1.4; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 480px; overflow: auto; margin: 6px 0 0; }
.j-key { color: #0b5cad; } .j-str { color: #1a7f37; } .j-num, .j-bool { color: #9a3412; } .j-null { color: #6b7280; }
.kv { border-collapse: collapse; margin: 8px 0; width: 100%; table-layout: fixed; }
.kv caption { text-align: left; color: var(--muted); font-weight: 600; padding-bottom: 2px; }
.kv th { text-align: left; color: var(--muted); font-weight: 400; width: 34%; padding: 2px 10px 2px 0; vertical-align: top; overflow-wrap: anywhere; }
.kv td { padding: 2px 0; overflow-wrap: anywhere; }
.field-label { color: var(--muted); font-weight: 600; }
.mention { background: #fff3c4; color: #1d1c1d; border-radius: 3px; padding: 0 2px; font-weight: 600; }

/* Slack */
.slack-message { display: flex; gap: 8px; font: 15px/1.46668 Lato, "Helvetica Neue", system-ui, "DejaVu Sans", Arial, sans-serif; color: #1d1c1d; }
.slack-avatar, .chat-avatar, .teams-avatar { flex: 0 0 36px; height: 36px; border-radius: 6px; background: #232f3e; color: #ff9900; font-weight: 800; font-size: 13px; display: flex; align-items: center; justify-content: center; }
.slack-body { min-width: 0; flex: 1; }
.slack-meta { display: flex; gap: 6px; align-items: baseline; }
.slack-app-name { font-weight: 900; }
.slack-app-badge { font-size: 10px; font-weight: 700; color: #616061; background: rgba(29,28,29,.08); border-radius: 2px; padding: 0 3px; }
.slack-time { color: #616061; font-size: 12px; }
.slack-text { margin: 2px 0 4px; overflow-wrap: anywhere; }
.slack-attachment { display: flex; margin-top: 4px; }
.slack-bar { flex: 0 0 4px; border-radius: 8px; }
.slack-blocks { padding: 0 0 0 12px; min-width: 0; flex: 1; }
.slack-header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 4px 0 6px; overflow-wrap: anywhere; }
.slack-section { display: flex; gap: 12px; margin: 6px 0; }
.slack-section-main { flex: 1; min-width: 0; }
.slack-section-text { overflow-wrap: anywhere; }
.slack-fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.slack-field { min-width: 0; overflow-wrap: anywhere; }
.slack-context { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 12px; color: #616061; margin: 8px 0; }
.slack-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.slack-button { display: inline-block; border: 1px solid rgba(29,28,29,.3); border-radius: 4px; padding: 3px 12px; font-size: 13px; font-weight: 700; color: #1d1c1d; text-decoration: none; background: #fff; white-space: nowrap; }
.slack-button-primary { background: #007a5a; color: #fff; border-color: #007a5a; }
.slack-button-danger { background: #e01e5a; color: #fff; border-color: #e01e5a; }
.slack-thread { margin: 6px 0 0 44px; padding-left: 12px; border-left: 2px solid #e8e8e8; }
.slack-thread-count { font-size: 13px; font-weight: 700; color: #1264a3; margin: 4px 0; }
.slack-broadcast { font-size: 12px; color: #616061; margin: 4px 0 0; }
.slack-divider { border: 0; border-top: 1px solid #ddd; margin: 10px 0; }
.slack-message code { color: #e01e5a; background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px; padding: 1px 3px; font-size: 12px; overflow-wrap: anywhere; }
.slack-message .code-block, .chat-message .code-block { background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 4px; padding: 8px; white-space: pre-wrap; font-size: 12px; margin: 4px 0; }
.slack-message .quote { display: inline-block; border-left: 4px solid #ddd; padding-left: 8px; }

/* Google Chat */
.chat-message { display: flex; gap: 10px; font: 14px/1.43 "Google Sans", Roboto, system-ui, "DejaVu Sans", Arial, sans-serif; color: #1f1f1f; }
.chat-avatar { border-radius: 50%; }
.chat-body { flex: 1; min-width: 0; }
.chat-meta { display: flex; gap: 6px; align-items: baseline; }
.chat-app-name { font-weight: 500; }
.chat-app-badge { font-size: 11px; color: #444746; border: 1px solid #c4c7c5; border-radius: 4px; padding: 0 4px; }
.chat-time { color: #444746; font-size: 12px; }
.chat-text { margin: 2px 0 6px; overflow-wrap: anywhere; }
.chat-message code { background: #f1f3f4; border-radius: 3px; padding: 0 3px; font-size: 12px; }
.chat-card { border: 1px solid #dadce0; border-radius: 8px; background: #fff; box-shadow: 0 1px 2px rgba(60,64,67,.15); max-width: 600px; }
.chat-card-header { padding: 14px 16px 10px; }
.chat-card-title { font-size: 16px; font-weight: 500; overflow-wrap: anywhere; }
.chat-card-subtitle { font-size: 13px; color: #5f6368; overflow-wrap: anywhere; }
.chat-section { border-top: 1px solid #e8eaed; padding: 8px 16px; }
.chat-section-header { font-size: 14px; font-weight: 500; color: #5f6368; margin: 2px 0 6px; overflow-wrap: anywhere; }
.chat-decorated { display: flex; gap: 12px; align-items: center; padding: 4px 0; }
.chat-decorated-main { flex: 1; min-width: 0; }
.chat-label { font-size: 12px; color: #5f6368; overflow-wrap: anywhere; }
.chat-decorated-text, .chat-paragraph { overflow-wrap: anywhere; }
.chat-paragraph { padding: 4px 0; }
.chat-buttons { display: flex; flex-wrap: wrap; gap: 8px; padding: 6px 0; }
.chat-button { display: inline-block; background: #0b57d0; color: #fff; border-radius: 18px; padding: 7px 16px; font-weight: 500; font-size: 14px; text-decoration: none; white-space: nowrap; }
.chat-more summary { color: #0b57d0; font-weight: 500; padding: 4px 0; }
.chat-thread { color: #5f6368; font-size: 12px; margin-top: 6px; overflow-wrap: anywhere; }

/* Teams */
.teams-message { display: flex; gap: 10px; font: 14px/1.43 "Segoe UI", system-ui, "DejaVu Sans", sans-serif; color: #242424; }
.teams-avatar { border-radius: 50%; }
.teams-body { flex: 1; min-width: 0; }
.teams-meta { display: flex; gap: 6px; align-items: baseline; margin-bottom: 4px; }
.teams-app-name { font-weight: 600; }
.teams-via { color: #616161; font-size: 12px; }
.teams-card { background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14); overflow: hidden; overflow-wrap: anywhere; }
.teams-card.failed { color: #a40000; padding: 10px; }
.teams-card-pending { color: #616161; padding: 10px; }
.teams-card .ac-pushButton { font: 600 14px "Segoe UI", system-ui, "DejaVu Sans", sans-serif; background: #fff; border: 1px solid #d1d1d1; border-radius: 4px; padding: 5px 12px; color: #242424; cursor: pointer; }
.teams-card .ac-textBlock p { margin: 0; }
.teams-card .ac-textBlock p + p { margin-top: 6px; }
.teams-card-warnings { color: #835c00; font-size: 12px; margin: 6px 10px; }

/* Email */
.email-subject { font-size: 17px; font-weight: 600; margin-bottom: 6px; overflow-wrap: anywhere; }
.email-headers { border-collapse: collapse; font-size: 13px; margin-bottom: 8px; width: 100%; table-layout: fixed; }
.email-headers th { text-align: left; color: var(--muted); font-weight: 400; width: 190px; padding: 1px 8px 1px 0; vertical-align: top; }
.email-headers td { overflow-wrap: anywhere; }
.email-html { width: 100%; height: 640px; border: 1px solid var(--line); border-radius: 4px; background: #f4f5f7; resize: vertical; display: block; }
.email-text pre, .sns-message { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; background: #f6f8fa; border: 1px solid #e4e8ec; border-radius: 4px; padding: 8px 10px; max-height: 520px; overflow: auto; }

/* SNS, PagerDuty, webhook */
.sns-topic, .sns-subject, .webhook-about { margin: 2px 0 6px; overflow-wrap: anywhere; }
.pd-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; margin-bottom: 6px; }
.pd-action { font-weight: 700; text-transform: uppercase; font-size: 12px; border-radius: 3px; padding: 1px 6px; background: #e5f2ea; color: #06893c; }
.pd-action.pd-resolve { background: #eef0f2; color: var(--muted); }
.pd-sev { font-weight: 700; font-size: 12px; border-radius: 3px; padding: 1px 6px; color: #fff; background: #8d99a6; }
.pd-sev-critical { background: #c4314b; } .pd-sev-error { background: #e4572e; } .pd-sev-warning { background: #f2c94c; color: #1b1b1b; } .pd-sev-info { background: #3b82f6; }
.pd-summary { font-weight: 600; overflow-wrap: anywhere; }
.pd-links { margin: 4px 0; padding-left: 18px; }
`;

/** The preview stylesheet, as text. */
export function previewStyles(): string {
  return CSS;
}
