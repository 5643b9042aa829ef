/**
 * The pages' one stylesheet, served by the app at a content-hashed URL (no CDN). Phone first: a
 * 360 px screen is the base; wider screens get two columns. Colours keep a contrast of at least
 * 4.5:1 with their background (the browser tests check the text they render), focus is always
 * visible, and nothing depends on colour alone (flags carry their severity word and code).
 */
export const CSS = String.raw`
:root{--fg:#1a1a1a;--muted:#4d4d4d;--bg:#fafaf7;--card:#fff;--line:#c9c9bf;--err:#a40000;--warn:#7a4f00;--ok:#1d6b2f;--accent:#9b1c1c;--accent-dark:#6e1212;--focus:#0b57d0;--review:#fff1b8}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent-dark)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;color:var(--fg);padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
.top{background:var(--accent);color:#fff;padding:.5rem 1rem}
.top a{color:#fff}
.top .brand{font-weight:700;display:block;margin-bottom:.2rem;text-decoration:none}
.top nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.top nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.top .who{font-size:.875rem}
.top .tagline{display:none}
main{max-width:78rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.25;margin:.3rem 0 .8rem}
h2{font-size:1.15rem;margin:1.2rem 0 .5rem}
label,.label{display:block;font-weight:600;margin:.8rem 0 .3rem}
.hint{font-size:.9rem;color:var(--muted);margin:.2rem 0}
select,input,textarea{font:inherit;padding:.55rem .6rem;max-width:100%;width:100%;border:1px solid #767676;border-radius:.3rem;background:#fff;color:var(--fg)}
select,input:not([type=file]){min-height:2.75rem}
input[type=file]{padding:.4rem;border-style:dashed}
button,.button{font:inherit;display:inline-block;background:var(--accent);color:#fff;border:2px solid var(--accent);border-radius:.35rem;padding:.6rem 1.1rem;cursor:pointer;text-decoration:none;min-height:44px}
button.secondary,.button.secondary{background:#fff;color:var(--accent-dark);border-color:var(--accent-dark)}
button.small{padding:.3rem .7rem;min-height:36px;font-size:.95rem}
button:disabled{background:#e6e6e6;color:#4d4d4d;border-color:#bbb;cursor:not-allowed}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.row>*{flex:1 1 10rem}
.row>.shrink{flex:0 0 auto}
.card{background:var(--card);border:1px solid var(--line);border-radius:.4rem;padding:.8rem 1rem;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{border-bottom:1px solid var(--line);padding:.45rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f0efe8}
.flags{list-style:none;margin:0;padding:0}
.flags li{margin:.25rem 0;padding-left:.6rem;border-left:4px solid var(--line)}
.flags li.flag-error{border-color:var(--err)}.flags li.flag-warning{border-color:var(--warn)}
.sev{font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.02em}
.flag-error .sev{color:var(--err)}.flag-warning .sev{color:var(--warn)}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere}
.basis{font-size:.9rem;color:var(--muted)}
.ok{color:var(--ok)}.muted{color:var(--muted)}
.badge{display:inline-block;border-radius:1rem;padding:.05rem .55rem;font-size:.85rem;border:1px solid currentColor;margin:.1rem .2rem .1rem 0}
.badge.review{background:var(--review);color:#4a3500;border-color:#8a6d00}
.badge.error{color:var(--err)}.badge.warning{color:var(--warn)}
tr.review>*{background:var(--review)}
tr.review th::after{content:" ⚑";color:#4a3500}
.conf{font-variant-numeric:tabular-nums;white-space:nowrap}
.conf.low{color:var(--err);font-weight:700}
.notice{padding:.6rem .8rem;border-left:5px solid var(--warn);background:#fff;margin:.5rem 0}
.notice.good{border-color:var(--ok)}
.notice.bad{border-color:var(--err)}
/* something is under way (sending, reading the minutes): a turning ring after the words */
.notice.busy::after{content:"";display:inline-block;width:.9em;height:.9em;margin-left:.5em;vertical-align:-.1em;border:2px solid var(--warn);border-right-color:transparent;border-radius:50%;animation:bb-spin 1s linear infinite}
@keyframes bb-spin{to{transform:rotate(360deg)}}
@media(prefers-reduced-motion:reduce){.notice.busy::after{animation:none;border-right-color:var(--warn);border-style:dotted}}
.counts{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;padding:0;margin:.3rem 0 1rem}
.counts a{display:inline-block;padding:.2rem .6rem;border:1px solid var(--line);border-radius:1rem;background:#fff;text-decoration:none;color:var(--fg)}
.counts a[aria-current=true]{border-color:var(--accent);background:#f7e6e6;font-weight:700}
.pager{display:flex;gap:1rem;margin:1rem 0}
a.open{display:inline-block;padding:.4rem .2rem;min-width:44px}
/* upload */
.pages-list{list-style:none;padding:0;margin:.5rem 0;display:grid;gap:.6rem}
.pages-list li{display:grid;grid-template-columns:84px 1fr;gap:.6rem;background:#fff;border:1px solid var(--line);border-radius:.4rem;padding:.5rem}
.pages-list img{width:84px;height:112px;object-fit:cover;border:1px solid var(--line);background:#eee}
.pages-list .name{font-weight:600;overflow-wrap:anywhere}
.pages-list .tools{display:flex;flex-wrap:wrap;gap:.3rem;margin-top:.3rem}
.pages-list progress{width:100%;height:.9rem}
.pick{display:grid;gap:.6rem;grid-template-columns:1fr}
.pick .button{text-align:center}
.js .nojs{display:none}
.nojs-hidden{display:none}
.js .nojs-hidden{display:block}
.js .pick.nojs-hidden{display:grid}
.pages-list .pstate{font-size:.9rem;color:var(--muted)}
.pages-list .pstate.good{color:var(--ok)}
.pages-list .pstate.bad{color:var(--err);font-weight:600}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
/* meeting */
.viewer .zoom{display:flex;gap:.3rem;flex-wrap:wrap;align-items:center;margin:.3rem 0}
.viewer figure{margin:0 0 1rem}
.viewer .frame{overflow:auto;max-height:80vh;border:1px solid var(--line);background:#eee}
.viewer img{display:block;width:100%;max-width:none}
.fields td.value{overflow-wrap:anywhere}
.fields details{margin-top:.2rem}
.fields summary{cursor:pointer;color:var(--accent-dark);text-decoration:underline;display:inline-block;padding:.2rem 0}
.fields form{margin:.3rem 0;padding:.5rem;background:#f5f4ee;border-radius:.3rem}
.fields form label{margin:.3rem 0 .2rem;font-size:.95rem}
.audit td{font-size:.9rem}
iframe.report{width:100%;min-height:70vh;border:1px solid var(--line);background:#fff}
@media(min-width:48rem){
  .top{display:flex;flex-wrap:wrap;align-items:center;gap:1rem}
  .top .brand{margin:0 auto 0 0}
  .top .tagline{display:inline}
  .pick{grid-template-columns:1fr 1fr}
  .pages-list li{grid-template-columns:120px 1fr}
  .pages-list img{width:120px;height:160px}
}
@media(min-width:64rem){
  .split{display:grid;gap:1.5rem;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
  .split .viewer{position:sticky;top:.5rem;align-self:start}
}
/* a narrow screen turns the dashboard's table rows into cards */
@media(max-width:40rem){
  table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards tr{border:1px solid var(--line);border-radius:.4rem;margin:0 0 .6rem;padding:.3rem .5rem;background:#fff}
  table.cards td{border:0;padding:.2rem 0}
  table.cards td:empty{display:none}
  table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
`;
