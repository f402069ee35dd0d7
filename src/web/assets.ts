/** The only static files: one stylesheet and one small progressive-enhancement script (CSP 'self'). */
const css = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Hiragino Sans","Noto Sans JP","IPAGothic","Yu Gothic",Meiryo,system-ui,-apple-system,"Segoe UI",Arial,sans-serif;background:#f4f5f7;color:#1f2328;line-height:1.7;font-size:16px}
a{color:#0b5cad}
header.top{background:#fff;border-bottom:1px solid #e3e5e8}
header.top .in{max-width:880px;margin:0 auto;padding:10px 16px;display:flex;align-items:center;gap:12px;flex-wrap:wrap}
.brand{font-weight:700;font-size:20px;color:#0b5cad;text-decoration:none;margin-right:auto}
.brand small{font-weight:400;color:#59636e;font-size:13px;margin-left:6px}
nav.lang a,nav.lang strong{font-size:14px;margin-left:8px}
main{max-width:880px;margin:0 auto;padding:20px 16px 48px}
.card{background:#fff;border:1px solid #e3e5e8;border-radius:10px;padding:22px;margin:0 0 18px}
.narrow{max-width:460px;margin-left:auto;margin-right:auto}
h1{font-size:24px;margin:4px 0 14px;line-height:1.4}
h2{font-size:18px;margin:0 0 10px}
p.lead{color:#3d444d;margin-top:0}
label{display:block;font-weight:600;margin:14px 0 4px}
.hint{font-size:13px;color:#59636e;margin:2px 0 0}
input[type=text],input[type=email],input[type=password],input[type=tel],select{width:100%;font-size:16px;padding:10px 12px;border:1px solid #b6bcc4;border-radius:6px;background:#fff;color:inherit}
input.code{font-size:26px;letter-spacing:8px;font-family:Menlo,Consolas,monospace;max-width:240px;text-align:center}
input[aria-invalid=true],select[aria-invalid=true]{border-color:#c62828;background:#fff8f8}
.field-error{color:#b3261e;font-size:14px;margin:4px 0 0;font-weight:600}
.row{display:flex;gap:10px;align-items:flex-end;flex-wrap:wrap}
.row>.grow{flex:1 1 200px}
button,.button{display:inline-block;font-size:16px;padding:10px 18px;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;text-decoration:none;margin-top:16px;font-family:inherit}
button.secondary,.button.secondary{background:#fff;color:#0b5cad}
button.danger{background:#b3261e;border-color:#b3261e}
button.link{background:none;border:none;color:#0b5cad;padding:0;margin:0;text-decoration:underline;font-size:inherit}
button:disabled{opacity:.55;cursor:not-allowed}
.actions{display:flex;gap:10px;flex-wrap:wrap;align-items:center}
.notice{border-radius:8px;padding:12px 14px;margin:0 0 16px}
.notice.ok{background:#e7f5ec;border:1px solid #a5d6b5}
.notice.warn{background:#fff7e6;border:1px solid #f0c36d}
.notice.error{background:#fdecea;border:1px solid #f2b8b5}
ul.methods{list-style:none;padding:0;margin:0}
ul.methods li{display:flex;gap:12px;align-items:center;flex-wrap:wrap;padding:12px 0;border-top:1px solid #eef0f2}
ul.methods li:first-child{border-top:none}
.m-main{flex:1 1 220px}
.m-value{font-weight:600;word-break:break-all}
.m-meta{font-size:13px;color:#59636e}
.badge{display:inline-block;font-size:12px;padding:1px 8px;border-radius:10px;background:#e7f5ec;color:#1b5e20;margin-left:6px;font-weight:600}
.badge.pending{background:#fff3e0;color:#8a4b00}
.inline{display:inline}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:8px 6px;border-top:1px solid #eef0f2;vertical-align:top}
th{font-size:13px;color:#59636e;font-weight:600}
.radio{display:flex;gap:10px;align-items:center;padding:10px 12px;border:1px solid #d0d5db;border-radius:8px;margin:8px 0;font-weight:400}
.radio input{width:auto}
.mail{border:1px solid #e3e5e8;border-radius:8px;margin:0 0 14px;background:#fff}
.mail summary{padding:10px 12px;cursor:pointer}
.mail pre{white-space:pre-wrap;margin:0;padding:12px;background:#fafbfc;border-top:1px solid #e3e5e8;font-size:13px}
footer.bottom{max-width:880px;margin:0 auto;padding:0 16px 32px;font-size:13px;color:#59636e}
@media (max-width:560px){h1{font-size:21px}.card{padding:16px}main{padding:12px 10px 40px}.brand small{display:none}}
html:lang(ja) body{font-family:"Hiragino Sans","Hiragino Kaku Gothic ProN","Noto Sans CJK JP","Noto Sans JP","Yu Gothic UI","Yu Gothic",Meiryo,"IPAPGothic",system-ui,sans-serif}
html:lang(en) body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans CJK JP","IPAPGothic",sans-serif}
input,select,textarea,button{font-family:inherit}
button,.button{line-height:1.4}
:lang(ja) :is(h1,h2,p,label,li,legend,.notice,td){word-break:auto-phrase}
header.top button{margin:0;padding:5px 12px;font-size:14px}
header.top .user{display:flex;align-items:center;gap:12px;margin-left:auto}
header.top .account-link{font-size:14px}
.actions{margin-top:16px}
.actions>button,.actions>.button,.actions>form>button{margin-top:0}
ul.methods li .actions{margin-top:0}
fieldset{border:0;padding:0;margin:16px 0 0;min-width:0}
legend{font-weight:600;padding:0;margin-bottom:4px}
.notice>p{margin:0 0 6px}
.notice form.inline button{margin-top:6px}
th{white-space:nowrap}
td strong{white-space:nowrap}
.nowrap{white-space:nowrap}
form+form{margin-top:20px}
button.link{margin-top:16px}
.alt-block{margin-top:24px;padding-top:16px;border-top:1px solid #eef0f2}
.card.unusual{border-color:#f0c36d;background:#fffbf0}
nav.filters{display:flex;gap:14px;flex-wrap:wrap;margin:0 0 12px}
.qr svg{width:200px;height:200px;display:block;margin:8px 0}
.manual-key code,.recovery-code code{font-size:18px;letter-spacing:1px;background:#f0f4fa;padding:6px 10px;border-radius:6px;display:inline-block;word-break:normal;overflow-wrap:normal}
.recovery-code code{font-size:20px;letter-spacing:0}
@media (max-width:560px){.recovery-code code{font-size:17px}}
.table-wrap{overflow-x:auto}
@media (max-width:600px){
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:auto}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table.stack tr{border:1px solid #e3e5e8;border-radius:8px;padding:8px 12px;margin:0 0 10px;background:#fff}
table.stack td{border:0;padding:3px 0;overflow-wrap:anywhere}
table.stack td[data-label]{display:grid;grid-template-columns:7.5em minmax(0,1fr);column-gap:10px}
table.stack td[data-label]::before{content:attr(data-label);font-size:13px;color:#59636e;font-weight:600;padding-top:1px}
table.stack td[data-label]>*{grid-column:2}
table.stack td.primary{font-weight:600}
table.stack td.row-action:empty{display:none}
table.stack td.row-action button{margin-top:6px}
}
.score-meter{display:block;width:100%;max-width:480px;height:18px;margin:4px 0 12px}
.score-line{font-size:18px}
.actions>form+form{margin-top:0}
td form button{margin-top:0}
ul.methods li>.button{margin-top:0}
`;

const js = `
(function(){
  document.querySelectorAll('[data-time-zone]').forEach(function(el){
    try { el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) {}
  });
  document.querySelectorAll('[data-resend-at]').forEach(function(btn){
    var at = Date.parse(btn.getAttribute('data-resend-at'));
    var label = btn.getAttribute('data-label');
    var waitS = btn.getAttribute('data-wait-s');
    var waitM = btn.getAttribute('data-wait-m');
    function tick(){
      var s = Math.ceil((at - Date.now())/1000);
      var text = s < 60 ? waitS.replace('{n}', s) : waitM.replace('{n}', Math.ceil(s/60));
      if (s > 0){ btn.disabled = true; btn.textContent = text; setTimeout(tick, 500); }
      else { btn.disabled = false; btn.textContent = label; }
    }
    tick();
  });
})();
`;

/** The icon (a shield with a tick) at /favicon.ico, which browsers ask for on their own; SVG, which they all draw. */
const icon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#1d4ed8" d="M16 2 4 7v8c0 7.5 5.1 13.3 12 15 6.9-1.7 12-7.5 12-15V7z"/><path fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" d="m10 16 4 4 8-8"/></svg>';

export const ASSETS: Record<string, { type: string; body: string }> = {
  '/favicon.ico': { type: 'image/svg+xml', body: icon },
  '/assets/app.css': { type: 'text/css; charset=utf-8', body: css },
  '/assets/app.js': { type: 'text/javascript; charset=utf-8', body: js },
};
