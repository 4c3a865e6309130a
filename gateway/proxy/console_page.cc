// The console's HTML, CSS and JS, served from the binary: no CDN, nothing fetched at run time.
// The page reads /console/api/state every 5 seconds and draws the charts as SVG; every text
// from mail (addresses, subjects, symbols) goes into the page through textContent, never as
// markup.
#include "gateway/proxy/console.h"

namespace portcullis::proxy {

const char* const kConsoleLoginPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portcullis console: log in</title>
<style>
body{font:15px system-ui,sans-serif;background:#f4f5f7;color:#1d2430;margin:0}
main{max-width:360px;margin:12vh auto;background:#fff;padding:28px;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin:0 0 16px}input{width:100%;box-sizing:border-box;padding:8px;margin:6px 0 14px;font-size:15px}
button{padding:8px 18px;font-size:15px;background:#1d4ed8;color:#fff;border:0;border-radius:4px}.error{color:#b91c1c}
</style></head><body><main><h1>Portcullis console</h1>
<form method="post" action="/console/login"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" autofocus>
<button id="login" type="submit">Log in</button></form>
)html";

const char* const kConsolePage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portcullis console</title>
<style>
body{font:14px system-ui,sans-serif;background:#f4f5f7;color:#1d2430;margin:0}
header{background:#1d2430;color:#fff;padding:12px 24px;display:flex;justify-content:space-between}
header h1{font-size:18px;margin:0}main{padding:16px 24px;display:grid;grid-template-columns:2fr 1fr;gap:16px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002;padding:14px 16px;overflow:auto}
section.wide{grid-column:1/3}h2{font-size:15px;margin:0 0 10px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{color:#6b7280;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.sym{display:inline-block;background:#eef2ff;border-radius:3px;padding:0 4px;margin:1px;font-size:12px}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
button{font-size:12px;padding:3px 10px;border:0;border-radius:4px;color:#fff;cursor:pointer}
button.release{background:#15803d}button.delete{background:#b91c1c;margin-left:4px}
#status{font-size:12px;color:#cbd5e1}#message{min-height:18px;font-size:13px}
svg text{font-size:11px;fill:#6b7280}
</style></head><body>
<header><h1>Portcullis</h1><span id="status">loading...</span></header>
<main>
<section><h2>Throughput, last hour (messages per minute)</h2><svg id="throughput" width="100%" height="200" viewBox="0 0 720 200" role="img" aria-label="Messages per minute"></svg>
<div class="legend" id="legend"></div></section>
<section><h2>Actions, last hour</h2><svg id="actions" width="100%" height="200" viewBox="0 0 360 200" role="img" aria-label="Actions"></svg></section>
<section class="wide"><h2>Quarantine</h2><div id="message"></div><table id="quarantine"><thead><tr><th>Held</th><th>From</th><th>To</th><th>Subject</th><th>Score</th><th>Symbols</th><th></th></tr></thead><tbody></tbody></table></section>
<section class="wide"><h2>Latest transactions</h2><table id="latest"><thead><tr><th>Time</th><th>Door</th><th>Client</th><th>From</th><th>To</th><th>Action</th><th>Score</th><th>Symbols</th></tr></thead><tbody></tbody></table></section>
<section class="wide"><h2>Rules</h2><table id="rules"><thead><tr><th>Rule</th><th>Score</th><th>Hits</th><th>Description</th></tr></thead><tbody></tbody></table></section>
</main>
<script>
"use strict";
const COLORS={accept:"#16a34a",add_headers:"#ca8a04",tempfail:"#f97316",reject:"#dc2626",discard:"#7c3aed",quarantine:"#2563eb"};
const SVGNS="http://www.w3.org/2000/svg";
function el(tag,attrs,text){const e=document.createElement(tag);for(const k in attrs||{})e.setAttribute(k,attrs[k]);if(text!==undefined)e.textContent=text;return e;}
function svg(tag,attrs,text){const e=document.createElementNS(SVGNS,tag);for(const k in attrs)e.setAttribute(k,attrs[k]);if(text!==undefined)e.textContent=text;return e;}
function clear(n){while(n.firstChild)n.removeChild(n.firstChild);}
function time(ms){return new Date(ms).toISOString().replace("T"," ").slice(0,19);}
function symbols(list){const td=el("td");for(const s of list){td.appendChild(el("span",{class:"sym"},Array.isArray(s)?s[0]+" "+s[1].toFixed(1):s));}return td;}
function row(tbody,cells){const tr=el("tr");for(const c of cells){tr.appendChild(c instanceof Node?c:el("td",{},String(c)));}tbody.appendChild(tr);return tr;}
function drawThroughput(state){
  const g=document.getElementById("throughput");clear(g);
  const W=720,H=200,L=36,B=22,T=8;const n=state.minutes.length;const bw=(W-L-4)/n;
  let max=1;for(const m of state.minutes){let s=0;for(let a=1;a<m.length;a++)s+=m[a];max=Math.max(max,s);}
  g.appendChild(svg("line",{x1:L,y1:H-B,x2:W,y2:H-B,stroke:"#9ca3af"}));
  g.appendChild(svg("text",{x:L-4,y:T+8,"text-anchor":"end"},String(max)));
  g.appendChild(svg("text",{x:L-4,y:H-B,"text-anchor":"end"},"0"));
  g.appendChild(svg("text",{x:L,y:H-6},"60 min ago"));
  g.appendChild(svg("text",{x:W-2,y:H-6,"text-anchor":"end"},"now"));
  state.minutes.forEach((m,i)=>{let y=H-B;for(let a=1;a<m.length;a++){if(!m[a])continue;const h=m[a]/max*(H-B-T);y-=h;
    const r=svg("rect",{x:L+2+i*bw,y:y,width:Math.max(1,bw-1),height:h,fill:COLORS[state.actions[a-1]],"data-action":state.actions[a-1]});
    r.appendChild(svg("title",{},time(m[0])+": "+m[a]+" "+state.actions[a-1]));g.appendChild(r);}});
  const legend=document.getElementById("legend");clear(legend);
  for(const a of state.actions){const s=el("span");s.appendChild(el("i",{style:"background:"+COLORS[a]}));s.appendChild(document.createTextNode(a));legend.appendChild(s);}
}
function drawActions(state){
  const g=document.getElementById("actions");clear(g);
  const totals=state.actions.map((a,i)=>state.minutes.reduce((s,m)=>s+m[i+1],0));
  const max=Math.max(1,...totals);const rh=200/state.actions.length;
  state.actions.forEach((a,i)=>{const y=i*rh+4;
    g.appendChild(svg("text",{x:0,y:y+rh/2+2},a));
    g.appendChild(svg("rect",{x:90,y:y+2,width:Math.max(totals[i]?2:0,totals[i]/max*220),height:rh-10,fill:COLORS[a],"data-action":a}));
    g.appendChild(svg("text",{x:96+totals[i]/max*220,y:y+rh/2+2},String(totals[i])));});
}
async function post(path,id){
  const r=await fetch(path,{method:"POST",headers:{"X-Console":"1","Content-Type":"application/x-www-form-urlencoded"},body:"id="+encodeURIComponent(id)});
  const j=await r.json();document.getElementById("message").textContent=id+": "+j.detail;refresh();
}
function drawQuarantine(state){
  const tb=document.querySelector("#quarantine tbody");clear(tb);
  if(!state.quarantine.length){row(tb,[el("td",{colspan:7},"Nothing held.")]);return;}
  for(const q of state.quarantine){
    const actions=el("td");
    const rel=el("button",{class:"release","data-id":q.id},"Release");rel.onclick=()=>post("/console/api/quarantine/release",q.id);
    const del=el("button",{class:"delete","data-id":q.id},"Delete");del.onclick=()=>{if(confirm("Delete "+q.id+"?"))post("/console/api/quarantine/delete",q.id);};
    actions.appendChild(rel);actions.appendChild(del);
    const tr=row(tb,[time(q.time),q.from,q.to,q.subject,el("td",{class:"num"},q.score.toFixed(2)),symbols(q.symbols?q.symbols.split(/[ ,]+/):[]),actions]);
    tr.setAttribute("data-id",q.id);
  }
}
function drawLatest(state){
  const tb=document.querySelector("#latest tbody");clear(tb);
  for(const t of state.latest){const a=el("td",{},t.action);a.style.color=COLORS[t.action];
    row(tb,[time(t.time),t.door,t.client,t.from,t.to,a,el("td",{class:"num"},t.score.toFixed(2)),symbols(t.symbols)]);}
}
function drawRules(state){
  const tb=document.querySelector("#rules tbody");clear(tb);
  const rules=state.rules.slice().sort((a,b)=>b[2]-a[2]||a[0].localeCompare(b[0]));
  for(const r of rules)row(tb,[r[0],el("td",{class:"num"},r[1].toFixed(2)),el("td",{class:"num"},String(r[2])),r[3]]);
}
async function refresh(){
  try{const r=await fetch("/console/api/state",{headers:{"X-Console":"1"}});
    if(r.status===401){location.href="/console";return;}
    const state=await r.json();
    drawThroughput(state);drawActions(state);drawQuarantine(state);drawLatest(state);drawRules(state);
    document.getElementById("status").textContent="updated "+time(state.now)+" UTC";
    document.body.setAttribute("data-loaded","1");
  }catch(e){document.getElementById("status").textContent="update failed: "+e;}
}
refresh();setInterval(refresh,5000);
</script></body></html>
)html";

}  // namespace portcullis::proxy
