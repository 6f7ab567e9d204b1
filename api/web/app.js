// chainkg web page: pick a region and a chain, see the chain map, the gaps,
// the anchor firms and the targets; search firms; read a plan with its facts
// highlighted. Plain JavaScript against the chainkg API; no framework, no
// network beyond this server.
'use strict';

const $ = (sel, el = document) => el.querySelector(sel);
const $$ = (sel, el = document) => Array.from(el.querySelectorAll(sel));

// esc makes any text safe to put in HTML.
function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
const fmtInt = v => (v == null || v === 0) ? '—' : Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 0 });
const fmt1 = v => (v == null) ? '—' : Number(v).toFixed(1);
const pct = v => Math.round(100 * (v || 0)) + '%';
const levelChip = l => `<span class="chip ${esc(l)}">${esc(l)}</span>`;
const tags = ts => (ts || []).map(t => `<span class="tag">${esc(t)}</span>`).join('');
const kindNames = { firm: '企业', chain: '产业链', node: '环节', park: '园区', plan: '规划', region: '地区' };
const roleNames = { pillar: '主导/支柱产业', key: '重点产业', emerging: '战略性新兴产业', future: '未来产业', traditional: '传统优势产业', advantage: '优势产业' };
const statusNames = { active: '存续', cancelled: '注销', revoked: '吊销', moved: '迁出', other: '其他' };
const methodNames = { keyword: '经营范围关键词', code: '行业代码', name: '企业名称', column: '登记字段', override: '人工校正', listing: '上市信息' };
const formatNames = {
  gexf: 'GEXF（Gephi）', graphml: 'GraphML（yEd）', cyjs: 'Cytoscape.js', echarts: 'ECharts', g6: 'AntV G6',
  dot: 'Graphviz DOT', 'gephi-csv': 'Gephi CSV', 'neo4j-csv': 'Neo4j CSV', xlsx: 'Excel', nquads: 'N-Quads', jsonld: 'JSON-LD', json: 'JSON',
};

// ---- API -------------------------------------------------------------------

function token() { return localStorage.getItem('chainkg-token') || ''; }
function headers() { return token() ? { Authorization: 'Bearer ' + token() } : {}; }

class APIError extends Error {
  constructor(status, detail) { super(detail || ('HTTP ' + status)); this.status = status; }
}

async function request(url) {
  const r = await fetch(url, { headers: headers() });
  if (r.status === 401 || r.status === 403) {
    askToken(r.status);
  }
  if (!r.ok) {
    let detail = '';
    try { detail = (await r.json()).detail; } catch (e) { /* not a problem body */ }
    throw new APIError(r.status, detail);
  }
  return r;
}
async function api(path) { return (await request('/api/v1' + path)).json(); }
async function apiText(path) { return (await request('/api/v1' + path)).text(); }

// download fetches a file (with the token, which a plain link cannot carry)
// and saves it under the name the server gives.
async function download(path, fallback) {
  const r = await request('/api/v1' + path);
  const blob = await r.blob();
  let name = fallback;
  const cd = r.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="([^"]+)"/i.exec(cd);
  if (star) name = decodeURIComponent(star[1]); else if (plain) name = plain[1];
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function askToken(status) {
  const b = $('#banner');
  b.hidden = false;
  b.innerHTML = `此服务需要访问令牌（${status}）。<input id="token-input" type="password" placeholder="Bearer 令牌"><button id="token-save" type="button">保存</button>`;
  $('#token-save').onclick = () => { localStorage.setItem('chainkg-token', $('#token-input').value.trim()); b.hidden = true; route(); };
}

// statusSentences says in one Chinese sentence what an answer's status
// means; the API's detail (file, line, column, the value refused) follows.
const statusSentences = {
  400: '请求有误，请检查所填的条件', 401: '需要有效的访问令牌', 403: '当前令牌无权执行此操作',
  404: '没有找到所要的内容', 413: '提交的内容过大', 415: '不支持这种内容格式',
  422: '文件内容未能导入，数据未作任何改动', 429: '请求过多，请稍后再试', 503: '服务正在准备数据或繁忙，请稍后再试',
  504: '查询超时，请缩小范围后再试', 500: '服务器内部出错，日志中有详情',
};

function errorSentence(err) {
  const s = err instanceof APIError ? statusSentences[err.status] : '';
  if (!s) return '出错了：' + err.message;
  return err.message && !err.message.startsWith('HTTP ') ? `${s}（${err.message}）` : s + '。';
}

function showError(el, err) {
  el.innerHTML = `<p class="empty-note">${esc(errorSentence(err))}</p>`;
}

// ---- Router ----------------------------------------------------------------

function parseHash() {
  const h = location.hash.replace(/^#/, '') || '/';
  const [path, query] = h.split('?');
  return { path, params: new URLSearchParams(query || '') };
}

function show(view) {
  $$('.view').forEach(v => { v.hidden = v.id !== 'view-' + view; });
  const nav = view.startsWith('plan') ? 'plans' : view === 'data' ? 'data' : 'map';
  $$('.topbar nav a[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === nav));
}

async function route() {
  const { path, params } = parseHash();
  const parts = path.split('/').filter(Boolean);
  try {
    if (parts[0] === 'firm' && parts[1]) { show('firm'); await showFirm(decodeURIComponent(parts[1])); }
    else if (parts[0] === 'park' && parts[1]) { show('park'); await showPark(decodeURIComponent(parts[1])); }
    else if (parts[0] === 'plans') { show('plans'); await showPlans(); }
    else if (parts[0] === 'data') { show('data'); await showData(); }
    else if (parts[0] === 'plan' && parts[1]) { show('plan'); await showPlan(decodeURIComponent(parts[1])); }
    else { show('map'); await showMap(params); }
  } catch (err) {
    console.error(err);
  }
  window.scrollTo(0, 0);
}
window.addEventListener('hashchange', route);

// ---- Map view: picker --------------------------------------------------------

const state = {
  region: '', chain: '', focus: '', mapData: null, gapsData: null, chains: {},
  targets: { page: 1, size: 20, sort: 'score', tag: '', province: false, node: '', total: 0 },
};

function option(value, text, selected) {
  return `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(text)}</option>`;
}

async function fillRegions(select, parent, selected, blank) {
  const data = await api('/picker/regions' + (parent ? '?parent=' + parent : ''));
  select.innerHTML = option('', blank) + data.regions.map(r =>
    option(r.code, r.firms ? `${r.name}（${fmtInt(r.firms)} 家）` : r.name, r.code === selected)).join('');
  select.disabled = data.regions.length === 0;
  return data.regions;
}

let pickerReady = false;
async function initPicker() {
  if (pickerReady) return;
  pickerReady = true;
  await fillRegions($('#pick-province'), '', '', '请选择省份');
  $('#pick-province').onchange = async e => {
    const p = e.target.value;
    $('#pick-county').innerHTML = ''; $('#pick-county').disabled = true;
    if (!p) { $('#pick-city').innerHTML = ''; $('#pick-city').disabled = true; return; }
    await fillRegions($('#pick-city'), p, '', '请选择城市');
    await regionPicked(p);
  };
  $('#pick-city').onchange = async e => {
    const c = e.target.value;
    if (!c) { $('#pick-county').innerHTML = ''; $('#pick-county').disabled = true; await regionPicked($('#pick-province').value); return; }
    await fillRegions($('#pick-county'), c, '', '全市');
    await regionPicked(c);
  };
  $('#pick-county').onchange = async e => { await regionPicked(e.target.value || $('#pick-city').value); };
  $('#pick-chain').onchange = e => { if (e.target.value) go(state.region, e.target.value); };
}

// setPicker shows a region (and its ancestors) in the selects.
async function setPicker(code) {
  if (!code || code.length < 6) return;
  const prov = code.slice(0, 2) + '0000', city = code.slice(0, 4) + '00';
  $('#pick-province').value = prov;
  if (code === prov) { await fillRegions($('#pick-city'), prov, '', '请选择城市'); return; }
  await fillRegions($('#pick-city'), prov, city, '请选择城市');
  if ($('#pick-city').value !== city) return; // a region the picker does not list
  await fillRegions($('#pick-county'), city, code === city ? '' : code, '全市');
}

// pickSeq numbers the region picks: of two quick picks (a province, then
// its city) only the last may fill the chain list, whatever order their
// answers come in.
let pickSeq = 0;
async function regionPicked(code) {
  const seq = ++pickSeq;
  state.region = code;
  const sel = $('#pick-chain');
  sel.disabled = true;
  delete sel.dataset.region;
  const data = await api('/compare?region=' + code);
  if (seq !== pickSeq) return; // a later pick owns the list
  const chains = data.chains.slice().sort((a, b) => (b.designated - a.designated) || (b.chain_firms - a.chain_firms) || a.chain.name.localeCompare(b.chain.name, 'zh'));
  state.chains = {};
  chains.forEach(c => { state.chains[c.chain.id] = c; });
  sel.innerHTML = option('', '请选择产业链') + chains.map(c =>
    option(c.chain.id, `${c.designated ? '★ ' : ''}${c.chain.name}（本地 ${c.chain_firms} 家，完整度 ${pct(c.completeness)}）`, c.chain.id === state.chain)).join('');
  sel.dataset.region = code; // the region the list is for: tests wait on it
  sel.disabled = false;
  if (state.chain && state.chains[state.chain]) go(code, state.chain);
}

function go(region, chain) {
  const h = `#/map?region=${region}&chain=${encodeURIComponent(chain)}`;
  if (location.hash === h) loadReport(); else location.hash = h;
}

async function showMap(params) {
  await initPicker();
  const region = params.get('region') || '', chain = params.get('chain') || '';
  state.focus = params.get('node') || '';
  if (region && region !== state.region) {
    await setPicker(region);
    state.chain = chain;
    await regionPicked(region);
    return; // regionPicked loads the report when the chain is known
  }
  state.region = region;
  if (chain) {
    state.chain = chain;
    if ($('#pick-chain').value !== chain) $('#pick-chain').value = chain;
    await loadReport();
  }
}

// ---- Map view: the report ----------------------------------------------------

function rc() { return `/regions/${encodeURIComponent(state.region)}/chains/${encodeURIComponent(state.chain)}`; }

async function loadReport() {
  if (!state.region || !state.chain) return;
  const focusNode = state.focus;
  state.focus = '';
  $('#report').hidden = false;
  $('#map').innerHTML = '<p class="empty-note">正在生成图谱…</p>';
  state.targets.page = 1;
  state.targets.node = '';
  let map, gaps, anchors, svg;
  try {
    [map, gaps, anchors, svg] = await Promise.all([api(rc() + '/map'), api(rc() + '/gaps'), api(rc() + '/anchors'), apiText(rc() + '/map.svg')]);
  } catch (err) {
    showError($('#map'), err);
    return;
  }
  state.mapData = map; state.gapsData = gaps;
  document.title = `${map.region.name} · ${map.chain.name} · chainkg`;
  renderKPIs(map, gaps, anchors);
  $('#coverage').innerHTML = '<b>数据覆盖：</b>' + esc(map.coverage.note);
  $('#map-title').textContent = `${map.region.name} · ${map.chain.name}产业链图谱`;
  const pl = $('#plan-line');
  pl.hidden = map.designations.length === 0;
  pl.innerHTML = map.designations.map(d =>
    `规划定位：<a href="#/plan/${encodeURIComponent(d.plan)}">《${esc(d.plan_title)}》</a>将「${esc(d.name)}」列为${esc(roleNames[d.role] || d.role)}`).join('<br>');
  $('#map').innerHTML = svg;
  $('#node-panel').hidden = true;
  $$('#map [data-node]').forEach(el => el.addEventListener('click', ev => {
    ev.stopPropagation();
    selectNode(el.dataset.node);
  }));
  renderGaps(gaps);
  renderAnchors(anchors);
  $('#filter-node').innerHTML = option('', '全部缺口') + gaps.gaps.map(g => option(g.node, g.name)).join('');
  await loadTargets();
  if (focusNode) selectNode(focusNode);
}

function renderKPIs(map, gaps, anchors) {
  const info = state.chains[map.chain.id] || {};
  const k = [
    ['完整度', pct(map.completeness), 'green'],
    ['末端环节有本地企业', `${map.leaves_present} / ${map.leaves - map.leaves_no_data}` +
      (map.leaves_no_data ? `（另 ${map.leaves_no_data} 个无数据）` : ''), ''],
    ['本地产业链企业', fmtInt(info.chain_firms) + ' 家', ''],
    ['缺口环节', gaps.gaps.length + ' 个', 'red'],
    ['链主企业', anchors.anchors.length + ' 家', 'violet'],
  ];
  $('#kpis').innerHTML = k.map(([l, v, c]) => `<div class="kpi ${c}"><div class="v">${esc(v)}</div><div class="l">${esc(l)}</div></div>`).join('');
}

function nodeName(id) {
  const n = state.mapData && state.mapData.nodes.find(n => n.id === id);
  return n ? n.name : id;
}

function selectNode(id) {
  const n = state.mapData.nodes.find(n => n.id === id);
  if (!n) return;
  $$('#map .selected').forEach(el => el.classList.remove('selected'));
  $$(`#map [data-node="${CSS.escape(id)}"]`).forEach(el => el.classList.add('selected'));
  const gap = state.gapsData.gaps.find(g => g.node === id);
  const p = $('#node-panel');
  p.hidden = false;
  p.innerHTML = `<h3>${esc(n.name)} ${levelChip(n.level)}</h3>
    <div class="facts">
      <span>本地企业 <b>${n.local_firms}</b> 家</span><span>全国 <b>${n.national_firms}</b> 家</span>
      ${n.unplaced_firms ? `<span class="uncertain">另有 <b>${n.unplaced_firms}</b> 家仅知所在上级行政区（位置待核实）</span>` : ''}
      ${n.unsplit_firms ? `<span>其中 <b>${n.unsplit_firms}</b> 家未细分到下级环节</span>` : ''}
      ${n.level === '无数据' ? '<span class="uncertain">全部数据中都没有该环节的企业：不是缺口，而是数据未覆盖</span>' : ''}
      <span>区位商 <b>${n.score.lq.toFixed(2)}</b></span>
      <span>综合评分 <b>${fmt1(n.score.total)}</b>（规模 ${fmt1(n.score.scale)}、配套 ${fmt1(n.score.linkage)}、质量 ${fmt1(n.score.quality)}）</span>
      <span>上游：${esc(n.supplied_by.map(nodeName).join('、') || '—')}</span><span>下游：${esc(n.supplies_to.map(nodeName).join('、') || '—')}</span>
    </div>
    ${gap ? `<p>${esc(gap.reason)}</p><button type="button" id="node-targets" class="primary">查看可补「${esc(n.name)}」的招商目标</button>` : ''}
    ${n.top_firms.length ? `<p>本地主要企业：${n.top_firms.map(f => `<a href="#/firm/${encodeURIComponent(f.id)}">${esc(f.name)}</a>`).join('、')}</p>` : ''}`;
  const b = $('#node-targets');
  if (b) b.onclick = () => { $('#filter-node').value = id; state.targets.node = id; state.targets.page = 1; loadTargets(); $('#targets').scrollIntoView({ behavior: 'smooth' }); };
}

function renderGaps(gaps) {
  const tb = $('#gaps tbody');
  if (gaps.gaps.length === 0) { tb.innerHTML = '<tr><td colspan="4" class="empty-note">没有空白或薄弱的末端环节。</td></tr>'; return; }
  tb.innerHTML = gaps.gaps.map(g => `<tr data-node="${esc(g.node)}">
      <td class="nowrap"><a href="#" class="gap-link" data-node="${esc(g.node)}">${esc(g.name)}</a></td><td>${levelChip(g.level)}</td>
      <td class="num"><span class="bar" style="width:${Math.round(g.severity * 0.6)}px"></span>${fmt1(g.severity)}</td>
      <td class="reason">${esc(g.reason)}</td></tr>`).join('');
  $$('#gaps .gap-link').forEach(a => a.onclick = e => { e.preventDefault(); selectNode(a.dataset.node); $('#map').scrollIntoView({ behavior: 'smooth' }); });
}

function renderAnchors(anchors) {
  const el = $('#anchors');
  if (anchors.anchors.length === 0) { el.innerHTML = '<p class="empty-note">暂无过门槛的链主企业。</p>'; return; }
  el.innerHTML = anchors.anchors.map(a => `<div class="anchor">
      <div class="top"><a href="#/firm/${encodeURIComponent(a.firm.id)}"><b>${esc(a.firm.name)}</b></a><span class="score">${fmt1(a.score)}</span></div>
      <div class="meta">${esc(a.nodes.map(nodeName).join('、'))} · ${a.scale_known ? `营业收入 ${fmtInt(a.firm.revenue_wan)} 万元 · 注册资本 ${fmtInt(a.firm.capital_wan)} 万元` : '规模未知'}</div>
      <div>${tags(a.firm.tags)}</div></div>`).join('');
}

function targetQuery() {
  const t = state.targets, q = new URLSearchParams();
  q.set('sort', t.sort);
  if (t.tag) q.set('tags', t.tag);
  if (t.province) q.set('province', state.region.slice(0, 2) + '0000');
  if (t.node) q.set('nodes', t.node);
  return q;
}

const regionNames = {};
async function nameRegions(codes) {
  const need = [...new Set(codes.filter(c => c && !(c in regionNames)))];
  if (need.length === 0) return;
  const data = await api('/picker/names?regions=' + need.join(','));
  data.regions.forEach(r => { regionNames[r.code] = r.path; });
}

async function loadTargets() {
  const t = state.targets, q = targetQuery();
  q.set('page', t.page); q.set('size', t.size);
  const tb = $('#targets tbody');
  let data;
  try { data = await api(rc() + '/targets?' + q); } catch (err) { tb.innerHTML = `<tr><td colspan="10">${esc(errorSentence(err))}</td></tr>`; return; }
  t.total = data.total;
  await nameRegions(data.targets.map(x => x.firm.region));
  $('#targets-total').textContent = `共 ${data.total} 家` +
    (data.unplaced ? `；另有 ${data.unplaced} 家位置待核实，未列入` : '') +
    (data.scale_unknown ? `；${data.scale_unknown} 家规模未知` : '');
  $$('#targets th[data-sort]').forEach(th => th.classList.toggle('sorted', th.dataset.sort === t.sort));
  tb.innerHTML = data.targets.length === 0 ? '<tr><td colspan="10" class="empty-note">没有符合条件的企业。</td></tr>' :
    data.targets.map((x, i) => `<tr>
      <td>${(t.page - 1) * t.size + i + 1}</td>
      <td class="firm-name"><a href="#/firm/${encodeURIComponent(x.firm.id)}">${esc(x.firm.name)}</a></td>
      <td class="nowrap">${esc(regionNames[x.firm.region] || x.firm.region || '')}</td>
      <td class="nowrap">${esc(x.gap_nodes.map(nodeName).join('、'))}</td>
      <td class="num">${x.scale_known ? fmtInt(x.firm.capital_wan) : '<span class="uncertain">规模未知</span>'}</td><td class="num">${fmtInt(x.firm.revenue_wan)}</td>
      <td>${tags(x.firm.tags)}</td><td class="num"><b>${fmt1(x.score)}</b></td>
      <td class="park">${esc(x.park ? x.park.name : '')}</td><td class="reason">${esc(x.reason)}</td></tr>`).join('');
  const pages = Math.max(1, Math.ceil(data.total / t.size));
  $('#page-info').textContent = `第 ${t.page} / ${pages} 页`;
  $('#page-prev').disabled = t.page <= 1;
  $('#page-next').disabled = t.page >= pages;
}

function initReportControls() {
  $$('#targets th[data-sort]').forEach(th => th.onclick = () => { state.targets.sort = th.dataset.sort; state.targets.page = 1; loadTargets(); });
  $('#page-prev').onclick = () => { state.targets.page--; loadTargets(); };
  $('#page-next').onclick = () => { state.targets.page++; loadTargets(); };
  $('#filter-tag').onchange = e => { state.targets.tag = e.target.value; state.targets.page = 1; loadTargets(); };
  $('#filter-province').onchange = e => { state.targets.province = e.target.checked; state.targets.page = 1; loadTargets(); };
  $('#filter-node').onchange = e => { state.targets.node = e.target.value; state.targets.page = 1; loadTargets(); };
  $('#download-svg').onclick = () => download(rc() + '/map.svg?download=true', 'chainkg-map.svg');
  $('#download-xlsx').onclick = async () => {
    const q = targetQuery();
    q.set('format', 'xlsx');
    q.set('size', String(Math.min(500, Math.max(state.targets.total, 1))));
    const b = $('#download-xlsx');
    b.disabled = true;
    try { await download(rc() + '/export?' + q, 'chainkg.xlsx'); } finally { b.disabled = false; }
  };
  $('#export-format').innerHTML = Object.entries(formatNames).map(([k, v]) => option(k, v)).join('');
  $('#download-other').onclick = () => {
    const q = targetQuery();
    q.set('format', $('#export-format').value);
    download(rc() + '/export?' + q, 'chainkg-export');
  };
}

// ---- Firm and park pages -----------------------------------------------------

async function showFirm(id) {
  const el = $('#view-firm');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let f;
  try { f = await api('/firms/' + encodeURIComponent(id)); } catch (err) { showError(el, err); return; }
  const path = f.region_path.map(r => r.name).join('');
  const city = f.region_path.length > 1 ? f.region_path[1].code : (f.region ? f.region.code : '');
  const active = !f.status || f.status === 'active';
  el.innerHTML = `<a class="back" href="javascript:history.back()">← 返回</a>
    <div class="card">
      <div class="firm-head">
        <div><h1>${esc(f.name)}</h1><div class="sub">${esc(f.id)} · ${esc(path)}</div><div>${tags(f.tags)}</div></div>
        <span class="status ${active ? 'active' : 'other'}">${esc(statusNames[f.status || 'active'] || f.status)}</span>
      </div>
      <div class="info">
        <div><span>注册资本</span>${fmtInt(f.capital_wan)} 万元${f.currency && f.currency !== 'CNY' ? ' ' + esc(f.currency) : ''}</div>
        <div><span>营业收入</span>${fmtInt(f.revenue_wan)} 万元</div>
        <div><span>参保人数</span>${fmtInt(f.employees)}</div>
        <div><span>成立日期</span>${esc(f.founded || '—')}</div>
        <div><span>企业类型</span>${esc(f.type || '—')}</div>
        <div><span>行业</span>${esc(f.industry_name || f.industry_code || '—')}</div>
        <div><span>股票代码</span>${esc((f.stocks || []).join('、') || '—')}</div>
        <div><span>所属集团</span>${esc(f.group || '—')}</div>
        <div><span>所在园区</span>${f.park ? `<a href="#/park/${encodeURIComponent(f.park)}">${esc(f.park)}</a>` : '—'}</div>
        <div><span>曾用名/简称</span>${esc([f.short_name].concat(f.aliases || []).filter(Boolean).join('、') || '—')}</div>
        <div><span>地址</span>${esc(f.address || '—')}</div>
        <div><span>数据来源</span>${esc((f.sources || []).join('、'))}</div>
      </div>
      ${f.scope ? `<p><b>经营范围：</b>${esc(f.scope)}</p>` : ''}
    </div>
    <div class="card">
      <div class="card-head"><h2>所在产业链环节 <small>及其依据</small></h2>
        <div class="tools"><select id="firm-format">${Object.entries(formatNames).map(([k, v]) => option(k, v, k === 'gexf')).join('')}</select>
        <button type="button" id="firm-export">导出上下游关系</button></div></div>
      <table class="table"><thead><tr><th>产业链</th><th>环节</th><th>识别方法</th><th class="num">置信度</th><th>匹配内容</th><th>来源</th><th></th></tr></thead>
      <tbody>${f.nodes.map(n => n.excluded ? `<tr class="excluded"><td>${esc(n.chain_name)}</td><td><s>${esc(n.node_name || n.node)}</s> <span class="tag">已排除</span></td>
        <td colspan="3">人工修正排除${n.excluded_note ? '：' + esc(n.excluded_note) : '（未注明原因）'}${n.method !== 'override' ? `；原依据：${esc(methodNames[n.method] || n.method)} ${Number(n.confidence).toFixed(2)} ${esc(n.matched || '')}` : ''}</td>
        <td>${esc(n.excluded_by || n.source)}</td><td></td></tr>` : `<tr><td>${esc(n.chain_name)}</td><td>${esc(n.node_name || n.node)}</td><td>${esc(methodNames[n.method] || n.method)}</td>
        <td class="num">${Number(n.confidence).toFixed(2)}</td><td>${esc(n.matched || '')}</td><td>${esc(n.source)}</td>
        <td>${city ? `<a href="#/map?region=${city}&chain=${encodeURIComponent(n.chain)}&node=${encodeURIComponent(n.node)}">看${esc(f.region_path.length > 1 ? f.region_path[1].name : '')}图谱</a>` : ''}</td></tr>`).join('') ||
        '<tr><td colspan="7" class="empty-note">尚未归入任何环节。</td></tr>'}</tbody></table>
    </div>
    <div class="card"><div class="card-head"><h2>全部事实 <small>每条注明来源</small></h2></div>
      <table class="table"><thead><tr><th>字段</th><th>值</th><th>来源</th></tr></thead>
      <tbody>${f.facts.map(x => `<tr><td>${esc(x.predicate)}</td><td>${esc(x.value)}</td><td>${esc(x.source)}</td></tr>`).join('')}</tbody></table></div>`;
  $('#firm-export').onclick = () => download(`/firms/${encodeURIComponent(f.id)}/export?format=${$('#firm-format').value}`, 'chainkg-firm');
  if (f.park) {
    try { const p = await api('/parks/' + encodeURIComponent(f.park)); $(`#view-firm a[href="#/park/${encodeURIComponent(f.park)}"]`).textContent = p.name; } catch (err) { /* the id stays */ }
  }
}

async function showPark(id) {
  const el = $('#view-park');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let p;
  try { p = await api('/parks/' + encodeURIComponent(id)); } catch (err) { showError(el, err); return; }
  el.innerHTML = `<a class="back" href="javascript:history.back()">← 返回</a>
    <div class="card"><h1>${esc(p.name)}</h1>
      <div class="info">${Object.entries({ 级别: p.level, 类型: p.kind, 地区: p.region ? p.region.name : '', 主导产业: (p.focus || []).join('、') })
        .map(([k, v]) => `<div><span>${k}</span>${esc(v || '—')}</div>`).join('')}</div></div>
    <div class="card"><h2>入驻企业</h2><ul>${(p.firms || []).map(f => `<li><a href="#/firm/${encodeURIComponent(f.id)}">${esc(f.name)}</a></li>`).join('') || '<li class="empty-note">暂无</li>'}</ul></div>`;
}

// ---- Plans -------------------------------------------------------------------

async function showPlans() {
  const el = $('#view-plans');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let data;
  try { data = await api('/plans'); } catch (err) {
    el.innerHTML = err.status === 404 ? '<div class="card"><p class="empty-note">这个服务还没有规划数据接口（/api/v1/plans），规划浏览暂不可用。</p></div>' : '';
    if (err.status !== 404) showError(el, err);
    return;
  }
  const plans = data.plans || [];
  el.innerHTML = `<div class="card"><div class="card-head"><h2>规划文件 <small>${plans.length} 份</small></h2></div>
    <table class="table"><thead><tr><th>标题</th><th>地区</th><th>发布</th><th>期间</th></tr></thead><tbody>
    ${plans.map(p => `<tr><td><a href="#/plan/${encodeURIComponent(p.id)}">${esc(p.title)}</a></td><td>${esc(regionLabel(p.region))}</td>
      <td>${esc(p.published || '')}</td><td>${esc(p.period || '')}</td></tr>`).join('') || '<tr><td colspan="4" class="empty-note">暂无规划。</td></tr>'}
    </tbody></table></div>`;
}

// ---- Data: the loaded sources, and uploads -------------------------------------

// num shows a count, zero included (fmtInt shows an unknown 0 as '—').
const num = v => Number(v || 0).toLocaleString('zh-CN');

const uploadKinds = { registry: '企业名录', override: '人工修正', plan: '规划文件' };

async function showData() {
  const el = $('#view-data');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let data;
  try { data = await api('/sources'); } catch (err) { showError(el, err); return; }
  el.innerHTML = `<div class="card"><div class="card-head"><h2>上传文件 <small>需要可写的访问令牌</small></h2></div>
      <form id="upload-form" class="upload">
        <label>类型 <select name="kind">${Object.entries(uploadKinds).map(([k, v]) => option(k, v, k === 'registry')).join('')}</select></label>
        <label>文件 <input type="file" name="file" required></label>
        <label title="列名对照：每行“原列名,字段”，如 Company Name,name">列名对照（可选）<textarea name="mapping" rows="2" placeholder="Company Name,name"></textarea></label>
        <label><input type="checkbox" name="allow_shrink" value="true"> 允许新文件比已导入的版本少一半以上</label>
        <label><input type="checkbox" name="strict" value="true"> 有任何坏行即整份拒绝</label>
        <button type="submit">上传并导入</button>
      </form>
      <div id="upload-result"></div></div>
    <div class="card"><div class="card-head"><h2>已导入的来源 <small>${data.sources.length} 个</small></h2></div>
      <table class="table" id="sources"><thead><tr><th>来源</th><th>类型</th><th>文件/标题</th><th class="num">事实数</th><th>导入时间</th></tr></thead><tbody>
      ${data.sources.map(s => `<tr><td>${esc(s.id)}</td><td>${esc(s.kind)}</td><td>${esc(s.title || '')}</td><td class="num">${fmtInt(s.facts)}</td>
        <td>${esc(new Date(s.loaded_at).toLocaleString('zh-CN'))}</td></tr>`).join('')}</tbody></table></div>`;
  $('#upload-form').onsubmit = async e => { e.preventDefault(); await upload(e.target); };
}

async function upload(form) {
  const out = $('#upload-result');
  const fd = new FormData(form);
  if (!fd.get('mapping')) fd.delete('mapping');
  out.innerHTML = '<p class="empty-note">正在上传并导入…</p>';
  let r;
  try { r = await fetch('/api/v1/sources?wait=true', { method: 'POST', headers: headers(), body: fd }); } catch (err) { out.innerHTML = `<p class="empty-note">上传失败：${esc(err.message)}</p>`; return; }
  if (r.status === 401 || r.status === 403) askToken(r.status);
  let body = {};
  try { body = await r.json(); } catch (err) { /* no body */ }
  // 202: the load goes on as a job; follow it until it has finished.
  while (r.status === 202 && body.id) {
    out.innerHTML = `<p class="empty-note">仍在导入（已读 ${fmtInt(body.progress.done)} / ${fmtInt(body.progress.total)} 字节）…</p>`;
    await new Promise(res => setTimeout(res, 1000));
    r = await fetch('/api/v1/jobs/' + body.id, { headers: headers() });
    body = await r.json();
    if (body.state === 'done' || body.state === 'failed') { r = { status: body.status }; body = body.report || { error: body.error }; }
  }
  out.innerHTML = loadReportHTML(r.status, body);
  if (r.status < 300) await showDataSources();
}

// loadReportHTML says what a load did, or why nothing was stored.
function loadReportHTML(status, rep) {
  if (status >= 400) {
    const at = rep.error_at ? `（${esc(rep.error_at.file)}${rep.error_at.line ? ' 第 ' + rep.error_at.line + ' 行' : ''}${rep.error_at.column ? '「' + esc(rep.error_at.column) + '」列' : ''}）` : '';
    const why = rep.error || rep.detail || '';
    return `<p class="upload-refused">${esc(statusSentences[status] || '导入失败')}${at}${why ? '：' + esc(why) : '。'}</p>` + rejectedHTML(rep);
  }
  let what;
  if (rep.unchanged) what = `内容与已导入的版本相同，${esc(rep.source)} 未作改动。`;
  else if (rep.replaced) what = `已导入为 ${esc(rep.source)}（${num(rep.facts)} 条事实），替换了 ${esc(new Date(rep.replaced.loaded_at).toLocaleString('zh-CN'))} 由 ${esc(rep.replaced.file || rep.replaced.source)} 导入的版本（${num(rep.replaced.facts)} 条事实）。`;
  else what = `已导入为新来源 ${esc(rep.source)}（${num(rep.facts)} 条事实）。`;
  return `<p class="upload-done">${what}</p><p>${esc(rep.file)}：读取 ${num(rep.rows)} 行，导入 ${num(rep.loaded)}，合并 ${num(rep.merged)}，拒绝 ${num((rep.rejected || []).length)}，警告 ${num((rep.warnings || []).length)}。</p>` + rejectedHTML(rep);
}

function rejectedHTML(rep) {
  const rows = (rep.rejected || []).slice(0, 20);
  if (!rows.length) return '';
  return `<table class="table"><thead><tr><th>行</th><th>列</th><th>原因</th></tr></thead><tbody>${rows.map(x =>
    `<tr><td>${x.line || ''}</td><td>${esc(x.column || '')}</td><td>${esc(x.reason)}</td></tr>`).join('')}</tbody></table>`;
}

async function showDataSources() {
  try {
    const data = await api('/sources');
    $('#sources tbody').innerHTML = data.sources.map(s => `<tr><td>${esc(s.id)}</td><td>${esc(s.kind)}</td><td>${esc(s.title || '')}</td><td class="num">${fmtInt(s.facts)}</td>
      <td>${esc(new Date(s.loaded_at).toLocaleString('zh-CN'))}</td></tr>`).join('');
  } catch (err) { /* the list stays as it was */ }
}

function regionLabel(r) { return !r ? '' : (typeof r === 'string' ? r : (r.name || r.code || '')); }

// planFacts lists a plan's facts as {kind, label, ev, firm}: what the fact
// says, and its evidence — the sentence, and the span of the fact's own
// words (characters of the document's text) when the extraction kept it.
function planFacts(p) {
  const out = [];
  (p.designations || []).forEach(d => out.push({ kind: 'industry', label: `${d.name}：${roleNames[d.role] || d.role || ''}${(d.chains || []).length ? ' → ' + d.chains.map(c => c.name || c.chain).join('、') : ''}`, ev: d.evidence, words: d.name }));
  (p.clusters || []).forEach(c => out.push({ kind: 'cluster', label: `产业集群：${c.name}${c.level ? '（' + c.level + '）' : ''}`, ev: c.evidence, words: c.name }));
  const cmp = { '>=': '≥', '<=': '≤', '~': '约', '=': '' };
  (p.indicators || []).forEach(i => {
    const v = i.value == null ? '（原文数字缺失）' : `${cmp[i.comparator] != null ? cmp[i.comparator] : (i.comparator || '')}${i.value}${i.unit || ''}`;
    out.push({ kind: 'indicator', label: `${i.year || ''} ${i.metric}：${v}`, ev: i.evidence, words: i.metric });
  });
  (p.mentions || []).forEach(m => {
    const firm = m.kind === 'firm' && m.resolved_to ? m.resolved_to.id : '';
    out.push({ kind: 'mention', label: `${m.kind === 'park' ? '园区' : '企业'}：${m.name}${m.resolved_to ? '（已匹配）' : ''}`, ev: m.evidence, words: m.name, firm });
  });
  return out;
}

// markSpans writes text with the given character spans marked; a span that
// overlaps one already marked is left out.
function markSpans(chars, spans) {
  const kept = [];
  spans.slice().sort((a, b) => a.start - b.start || b.end - a.end).forEach(s => {
    if (s.end > s.start && s.start >= 0 && s.end <= chars.length && !kept.some(k => s.start < k.end && s.end > k.start)) kept.push(s);
  });
  let out = '', at = 0;
  kept.forEach(s => {
    out += esc(chars.slice(at, s.start).join('')) + `<mark class="${s.kind}" title="${esc(s.title)}">${esc(chars.slice(s.start, s.end).join(''))}</mark>`;
    at = s.end;
  });
  return out + esc(chars.slice(at).join(''));
}

// spanOf returns a fact's span in the document: its evidence's span when
// that covers the fact's words, else the words' first place in the sentence.
function spanOf(chars, f) {
  const e = f.ev || {};
  if (e.quote && e.end > e.start) return { start: e.start, end: e.end };
  const text = chars.join('');
  const i = f.words ? text.indexOf(f.words) : -1;
  if (i < 0) return null;
  const start = Array.from(text.slice(0, i)).length;
  return { start, end: start + Array.from(f.words).length };
}

async function showPlan(id) {
  const el = $('#view-plan');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let p;
  try { p = await api('/plans/' + encodeURIComponent(id)); } catch (err) {
    el.innerHTML = err.status === 404 ? '<div class="card"><p class="empty-note">没有这份规划。</p></div>' : '';
    if (err.status !== 404) showError(el, err);
    return;
  }
  const facts = planFacts(p);
  let body;
  if (p.text) {
    // The whole document, each fact's words marked where they stand.
    const chars = Array.from(p.text);
    const spans = facts.map(f => { const s = spanOf(chars, f); return s && { ...s, kind: f.kind, title: f.label }; }).filter(Boolean);
    body = markSpans(chars, spans).replace(/\n/g, '<br>');
  } else {
    // No text kept: the sentences the facts come from, in document order.
    const bySentence = new Map();
    facts.forEach(f => {
      const e = f.ev || {};
      const key = e.sentence || '';
      if (!key) return;
      if (!bySentence.has(key)) bySentence.set(key, { start: e.start || 0, facts: [] });
      bySentence.get(key).facts.push(f);
    });
    body = [...bySentence.entries()].sort((a, b) => a[1].start - b[1].start).map(([sentence, v]) => {
      const chars = Array.from(sentence);
      const spans = v.facts.map(f => { const s = spanOf(chars, { words: f.words }); return s && { ...s, kind: f.kind, title: f.label }; }).filter(Boolean);
      return `<p>${markSpans(chars, spans)}</p>`;
    }).join('');
  }
  el.innerHTML = `<a class="back" href="#/plans">← 全部规划</a>
    <div class="card"><h1>${esc(p.title)}</h1>
      <div class="sub">${esc([p.issuer, p.published, p.period, regionLabel(p.region)].filter(Boolean).join(' · '))}</div></div>
    <div class="grid2">
      <div class="card"><div class="legend-marks"><mark class="industry">产业定位</mark><mark class="indicator">指标</mark><mark class="mention">企业/园区</mark><mark class="cluster">产业集群</mark></div>
        <div class="plan-text" id="plan-text">${body || '<p class="empty-note">没有原文。</p>'}</div></div>
      <div class="card"><h2>识别出的事实 <small>${facts.length} 条</small></h2><ul class="facts-list">
        ${facts.map(f => `<li><mark class="${f.kind}">${esc(f.label)}</mark>${f.firm ? ` <a href="#/firm/${encodeURIComponent(f.firm)}">企业页</a>` : ''}</li>`).join('')}</ul></div>
    </div>`;
}

// ---- Search ------------------------------------------------------------------

let searchTimer = 0;
function initSearch() {
  const input = $('#search'), box = $('#search-results');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    const q = input.value.trim();
    if (!q) { box.hidden = true; return; }
    searchTimer = setTimeout(async () => {
      let data;
      try { data = await api('/search?limit=12&q=' + encodeURIComponent(q)); } catch (err) { return; }
      box.hidden = false;
      box.innerHTML = data.hits.length === 0 ? '<div class="empty">没有找到</div>' :
        data.hits.map(h => `<a href="${esc(hitLink(h))}" data-kind="${esc(h.kind)}"><span>${esc(h.name)}</span><span class="kind">${esc(kindNames[h.kind] || h.kind)}</span></a>`).join('');
    }, 200);
  });
  input.addEventListener('keydown', e => {
    if (e.key === 'Enter') { const a = $('a', box); if (a) { location.hash = a.getAttribute('href'); box.hidden = true; } }
    if (e.key === 'Escape') box.hidden = true;
  });
  box.addEventListener('click', () => { box.hidden = true; input.value = ''; });
  document.addEventListener('click', e => { if (!e.target.closest('.search')) box.hidden = true; });
}

function hitLink(h) {
  const region = state.region || '';
  switch (h.kind) {
    case 'firm': return '#/firm/' + encodeURIComponent(h.id);
    case 'park': return '#/park/' + encodeURIComponent(h.id);
    case 'plan': return '#/plan/' + encodeURIComponent(h.id);
    case 'region': return `#/map?region=${h.id}${state.chain ? '&chain=' + encodeURIComponent(state.chain) : ''}`;
    case 'chain': return region ? `#/map?region=${region}&chain=${encodeURIComponent(h.id)}` : '#/';
    case 'node': { const c = h.id.split('/')[0]; return region ? `#/map?region=${region}&chain=${encodeURIComponent(c)}&node=${encodeURIComponent(h.id)}` : '#/'; }
  }
  return '#/';
}

// ---- Start -------------------------------------------------------------------

initSearch();
initReportControls();
route();
