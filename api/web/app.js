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
// methodLabels mirrors graph/labels.go: how a link or a region was found,
// named for a person. The API's method_label wins where an answer has one.
const methodLabels = {
  sw2021: '申万行业对照', tushare: 'tushare行业对照', code: '国标行业代码', codes: '国标行业代码', scope: '经营范围关键词',
  keyword: '企业名称与经营范围关键词', keywords: '企业名称与经营范围关键词', name: '企业名称关键词', products: '主营产品',
  column: '登记地区列', address: '注册地址', creditcode: '信用代码行政区划码', listing: '上市公司资料', controller: '实际控制人所在地',
  override: '人工校正', 'named-in-source': '新闻点名', 'named-in-plan': '规划点名', named: '网页点名', landed: '招商落地',
  given: '人工指定', declared: '文件声明', issuer: '发文机关', crosswalk: '表述对照表', alias: '别名对照', 'short-form': '简称对照',
  reference: '参考数据', library: '产业链图谱库', registry: '企业名录', index: '规划索引',
};
// methodLabel names a method; a compound one (code+scope) joins its parts'.
function methodLabel(m) {
  if (!m) return '';
  return String(m).split('+').map(p => methodLabels[p] || p).join('＋');
}
const sourceKindLabels = { reference: '参考数据', chains: '产业链图谱库', registry: '企业名录', plan: '规划文件', override: '人工校正' };
const clusterLevels = { national: '国家级', provincial: '省级', municipal: '市级', county: '县级' };
// The export formats: what a 招商 team uses first, the rest for analysts.
const commonFormats = { svg: 'SVG 矢量图' };
const formatNames = {
  gexf: 'GEXF（Gephi）', graphml: 'GraphML（yEd）', cyjs: 'Cytoscape.js', echarts: 'ECharts', g6: 'AntV G6',
  dot: 'Graphviz DOT', 'gephi-csv': 'Gephi CSV', 'neo4j-csv': 'Neo4j CSV', xlsx: 'Excel', nquads: 'N-Quads', jsonld: 'JSON-LD', json: 'JSON',
};
function formatOptions(selected) {
  const analysts = Object.entries(formatNames).filter(([k]) => k !== 'xlsx');
  return option('xlsx', 'Excel 表格', selected === 'xlsx') + Object.entries(commonFormats).map(([k, v]) => option(k, v, k === selected)).join('') +
    `<optgroup label="更多格式（分析人员）">${analysts.map(([k, v]) => option(k, v, k === selected)).join('')}</optgroup>`;
}

// The firm page's fact fields, by the predicate's local name, and the
// registry's own columns an attr fact carries (key=value).
const predicateNames = {
  name: '名称', alias: '别名/曾用名', shortName: '简称', region: '所在地区', regionMethod: '地区依据', regionAsOf: '地区信息日期',
  inNode: '所在环节', notInNode: '人工排除的环节', tag: '标签', stock: '股票代码', address: '地址', scope: '经营范围',
  capital: '注册资本（万元）', paidIn: '实缴资本（万元）', currency: '币种', revenue: '营业收入（万元）', employees: '参保人数',
  founded: '成立日期', firmType: '企业类型', legalRep: '法定代表人', industryCode: '国标行业代码', status: '登记状态',
  park: '所在园区', group: '所属集团', memberOf: '所属集团', synthetic: '合成数据', creditCode: '统一社会信用代码',
  description: '说明', note: '备注', confidence: '置信度', method: '识别方法', keyword: '关键词', product: '主营产品',
  category: '类别', level: '级别', evidence: '依据', wasDerivedFrom: '派生自', label: '名称',
};
const attrNames = {
  act_ent_type: '实际控制人性质', act_name: '实际控制人', cnspell: '拼音简称', industry: '所属行业', list_date: '上市日期',
  market: '上市板块', symbol: '股票代码', area: '地域', fullname: '全称', enname: '英文名称', exchange: '交易所',
  list_status: '上市状态', delist_date: '退市日期', is_hs: '沪深港通', curr_type: '交易币种', ts_code: '证券代码',
};
const leadStatuses = ['待接触', '已接触', '已拜访', '洽谈中', '已签约', '已落地', '已放弃'];

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

// send writes JSON (POST, PATCH) with the token and answers the parsed
// body; a refusal throws an APIError with the API's detail.
async function send(method, path, body) {
  const r = await fetch('/api/v1' + path, { method, headers: { ...headers(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status === 401 || r.status === 403) askToken(r.status);
  let out = null;
  try { out = await r.json(); } catch (e) { /* no body (204) */ }
  if (!r.ok) throw new APIError(r.status, out && out.detail);
  return out;
}

// sourceTitles maps source ids to their titles, so a person reads
// 「A股上市公司…」 and not registry/a-share-listed.
const sourceTitles = {};
let sourcesLoaded = null;
function loadSourceTitles(force) {
  if (!sourcesLoaded || force) {
    sourcesLoaded = api('/sources').then(d => { d.sources.forEach(s => { sourceTitles[s.id] = s.title || s.id; }); return d; })
      .catch(err => { sourcesLoaded = null; throw err; });
  }
  return sourcesLoaded;
}
function sourceName(id) {
  if (sourceTitles[id]) return sourceTitles[id];
  const m = /^[a-z]+\/(.+)$/.exec(id || '');
  return m ? `上传文件 ${m[1]}` : (id || '');
}
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
  const why = status === 403 ? '当前令牌无权执行此操作，请换用可写的令牌。' : status === 401 ? '此服务需要访问令牌。' : '登录后可以上传文件、标记数据质量问题和记录招商线索。';
  b.innerHTML = `${why}<input id="token-input" type="password" placeholder="访问令牌" aria-label="访问令牌"><button id="token-save" type="button">保存</button><button id="token-cancel" type="button">取消</button>`;
  $('#token-save').onclick = () => { localStorage.setItem('chainkg-token', $('#token-input').value.trim()); b.hidden = true; signInState(); route(); };
  $('#token-cancel').onclick = () => { b.hidden = true; };
}

// signInState shows whether a token is set; the server alone decides what
// it may do (a 403 says so).
function signInState() {
  const b = $('#sign-in');
  b.textContent = token() ? '退出登录' : '登录';
  b.title = token() ? '已保存访问令牌；点击清除' : '输入访问令牌';
  b.onclick = () => {
    if (token()) { localStorage.removeItem('chainkg-token'); signInState(); route(); } else askToken(0);
  };
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
  const nav = view.startsWith('plan') ? 'plans' : ['data', 'compare', 'quality', 'leads'].includes(view) ? view : 'map';
  $$('.topbar nav a[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === nav));
  document.body.classList.toggle('brief-mode', view === 'brief');
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
    else if (parts[0] === 'compare') { show('compare'); await showCompare(params); }
    else if (parts[0] === 'quality') { show('quality'); await showQuality(params); }
    else if (parts[0] === 'leads') { show('leads'); await showLeads(params); }
    else if (parts[0] === 'brief') { show('brief'); await showBrief(params); }
    else if (parts.length === 0 || parts[0] === 'map') { show('map'); await showMap(params); }
    else { show('map'); mapMessage(`页面地址「#${path}」不存在。请用上方的导航，或在下面选择地区和产业链。`); await initPicker(); }
  } catch (err) {
    console.error(err);
    const v = $$('.view').find(v => !v.hidden);
    if (v && v.id !== 'view-map') showError(v, err); else mapMessage(errorSentence(err));
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

// fillRegions lists the regions under parent in select, with selected
// chosen; null keeps what the select shows when the list arrives (a choice
// made while it loads is not lost).
async function fillRegions(select, parent, selected, blank) {
  const data = await api('/picker/regions' + (parent ? '?parent=' + parent : ''));
  if (selected === null) selected = select.value;
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

// mapMessage says, above the report, what is wrong with the address and
// what to do; an empty text takes the message away.
function mapMessage(text) {
  let el = $('#map-message');
  if (!el) {
    el = document.createElement('div');
    el.id = 'map-message';
    el.className = 'card message';
    $('#view-map .picker').after(el);
  }
  el.hidden = !text;
  el.textContent = text || '';
  if (text) $('#report').hidden = true;
}

function go(region, chain) {
  const h = `#/map?region=${region}&chain=${encodeURIComponent(chain)}`;
  if (location.hash === h) loadReport(); else location.hash = h;
}

async function showMap(params) {
  mapMessage('');
  await initPicker();
  const region = params.get('region') || '', chain = params.get('chain') || '';
  state.focus = params.get('node') || '';
  if (region && region !== state.region) {
    if (!/^\d{6}$/.test(region)) { mapMessage(`地址中的地区代码「${region}」不是六位数字的行政区划代码。请在上面重新选择省份、城市和产业链。`); return; }
    try {
      await api('/regions/' + region);
    } catch (err) {
      if (err.status === 404 || err.status === 400) {
        mapMessage(`没有行政区划代码为「${region}」的地区。请在上面重新选择省份、城市和产业链，或用右上角的搜索框查找地区。`);
        return;
      }
      throw err;
    }
    await setPicker(region);
    state.chain = chain;
    await regionPicked(region);
    if (chain && !state.chains[chain]) mapMessage(`没有编号为「${chain}」的产业链。请在上面的“产业链”中重新选择。`);
    return; // regionPicked loads the report when the chain is known
  }
  if (chain && state.region && Object.keys(state.chains).length && !state.chains[chain]) {
    mapMessage(`没有编号为「${chain}」的产业链。请在上面的“产业链”中重新选择。`);
    return;
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
  state.svg = svg;
  $('#map').innerHTML = svg;
  // The picture carries its own title and plan line (for the PNG and the
  // SVG file); on the page the heading and the linked plan line above say
  // them, so the picture's copies are hidden here.
  $$('#map svg > text').forEach(t => {
    if (t.textContent === $('#map-title').textContent || t.textContent.startsWith('规划定位：')) t.style.display = 'none';
  });
  $('#node-panel').hidden = true;
  $('#whatif').hidden = true;
  const q = `region=${state.region}&chain=${encodeURIComponent(state.chain)}`;
  $('#open-brief').href = '#/brief?' + q;
  $('#open-compare').href = '#/compare?' + q;
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
    // No revenue or capital for any local firm: the gate cannot be judged,
    // so the count is unknown, not 0.
    ['链主企业', !anchors.anchors.length && anchors.coverage && anchors.coverage.firms > 0 &&
      !anchors.coverage.with_revenue && !anchors.coverage.with_capital ? '规模未知' : anchors.anchors.length + ' 家', 'violet'],
  ];
  $('#kpis').innerHTML = k.map(([l, v, c]) => `<div class="kpi ${c}"><div class="v">${esc(v)}</div><div class="l">${esc(l)}</div></div>`).join('');
}

// nodeNames holds names of nodes outside the map in view (another
// chain's node a node supplies), looked up once.
const nodeNames = {};
function nodeName(id) {
  const n = state.mapData && state.mapData.nodes.find(n => n.id === id);
  return n ? n.name : (nodeNames[id] || '（其他产业链环节）');
}
async function nameNodes(ids) {
  const need = [...new Set(ids.filter(id => id && !nodeNames[id] && !(state.mapData && state.mapData.nodes.some(n => n.id === id))))];
  await Promise.all(need.map(async id => {
    const i = id.indexOf('/');
    try {
      const n = await api(`/nodes/${encodeURIComponent(id.slice(0, i))}/${id.slice(i + 1).split('/').map(encodeURIComponent).join('/')}`);
      nodeNames[id] = n.chain && n.chain.id !== state.chain ? `${n.name}（${n.chain.name}）` : n.name;
    } catch (err) { /* the placeholder stays */ }
  }));
}

async function selectNode(id) {
  const n = state.mapData.nodes.find(n => n.id === id);
  if (!n) return;
  await nameNodes(n.supplied_by.concat(n.supplies_to));
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
  if (anchors.anchors.length === 0) {
    const c = anchors.coverage || {};
    el.innerHTML = c.firms > 0 && !c.with_revenue && !c.with_capital
      ? `<p class="empty-note">本地 ${c.firms} 家本链企业都没有营收或注册资本数据，无法判断谁过链主门槛（规模未知，不是没有链主）。</p>`
      : '<p class="empty-note">暂无过门槛的链主企业。</p>';
    return;
  }
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
  try { data = await api(rc() + '/targets?' + q); } catch (err) { tb.innerHTML = `<tr><td colspan="11">${esc(errorSentence(err))}</td></tr>`; return; }
  t.rows = data.targets;
  t.total = data.total;
  await nameRegions(data.targets.map(x => x.firm.region));
  $('#targets-total').textContent = `共 ${data.total} 家` +
    (data.unplaced ? `；另有 ${data.unplaced} 家位置待核实，未列入` : '') +
    (data.scale_unknown ? `；${data.scale_unknown} 家规模未知` : '');
  $$('#targets th[data-sort]').forEach(th => th.classList.toggle('sorted', th.dataset.sort === t.sort));
  tb.innerHTML = data.targets.length === 0 ? '<tr><td colspan="11" class="empty-note">没有符合条件的企业。</td></tr>' :
    data.targets.map((x, i) => `<tr>
      <td>${(t.page - 1) * t.size + i + 1}</td>
      <td class="firm-name"><a href="#/firm/${encodeURIComponent(x.firm.id)}">${esc(x.firm.name)}</a></td>
      <td class="nowrap">${esc(regionNames[x.firm.region] || x.firm.region || '')}</td>
      <td class="nowrap">${esc(x.gap_nodes.map(nodeName).join('、'))}</td>
      <td class="num">${x.scale_known ? fmtInt(x.firm.capital_wan) : '<span class="uncertain">规模未知</span>'}</td><td class="num">${fmtInt(x.firm.revenue_wan)}</td>
      <td>${tags(x.firm.tags)}</td><td class="num"><b>${fmt1(x.score)}</b></td>
      <td class="park">${esc(x.park ? x.park.name : '')}</td><td class="reason">${esc(x.reason)}</td>
      <td class="actions"><button type="button" class="add-lead" data-i="${i}">加入招商线索</button><button type="button" class="whatif-run" data-i="${i}">模拟落地</button></td></tr>`).join('');
  $$('#targets .add-lead').forEach(b => b.onclick = () => openLeadDialog(t.rows[+b.dataset.i]));
  $$('#targets .whatif-run').forEach(b => b.onclick = () => runWhatif([t.rows[+b.dataset.i]]));
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
  $('#download-png').onclick = () => downloadPNG(state.svg, `${state.mapData.region.name}-${state.mapData.chain.name}产业链图谱.png`);
  $('#download-xlsx').onclick = async () => {
    const q = targetQuery();
    q.set('format', 'xlsx');
    q.set('size', String(Math.min(500, Math.max(state.targets.total, 1))));
    const b = $('#download-xlsx');
    b.disabled = true;
    try { await download(rc() + '/export?' + q, 'chainkg.xlsx'); } finally { b.disabled = false; }
  };
  $('#export-format').innerHTML = formatOptions('svg');
  $('#download-other').onclick = () => {
    const f = $('#export-format').value;
    if (f === 'svg') { download(rc() + '/map.svg?download=true', 'chainkg-map.svg'); return; }
    const q = targetQuery();
    q.set('format', f);
    download(rc() + '/export?' + q, 'chainkg-export');
  };
}

// downloadPNG draws the chain map's SVG on a canvas in the browser, at
// twice its size for slides, and saves it: no server takes part.
async function downloadPNG(svgText, name) {
  const canvas = await svgToCanvas(svgText, 2);
  const blob = await new Promise((res, rej) => canvas.toBlob(b => b ? res(b) : rej(new Error('图片生成失败')), 'image/png'));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function svgToCanvas(svgText, scale) {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = doc.documentElement;
  const w = parseFloat(root.getAttribute('width')) || 1600, h = parseFloat(root.getAttribute('height')) || 1000;
  const xml = new XMLSerializer().serializeToString(root);
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.round(w * scale); c.height = Math.round(h * scale);
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      resolve(c);
    };
    img.onerror = () => reject(new Error('图谱无法绘制为图片'));
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
  });
}

// ---- Firm and park pages -----------------------------------------------------

async function showFirm(id) {
  const el = $('#view-firm');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let f;
  try { f = await api('/firms/' + encodeURIComponent(id)); } catch (err) {
    if (err.status === 400 || err.status === 404) {
      el.innerHTML = `<div class="card"><p class="empty-note">${err.status === 400 ? `地址中的企业编号「${esc(id)}」格式不对（应为18位统一社会信用代码或本服务的企业编号）` : `没有找到编号为「${esc(id)}」的企业`}。请用右上角的搜索框按企业名称查找，或<a href="#/">回到图谱</a>。</p></div>`;
      return;
    }
    showError(el, err); return;
  }
  try { await loadSourceTitles(); } catch (err) { /* ids shown as they are */ }
  const regionByCode = {};
  f.region_path.forEach(r => { regionByCode[r.code] = r.name; });
  await nameRegions(f.facts.filter(x => x.predicate === 'region').map(x => x.value.replace(/^region\//, '')));
  await nameRefs(f.facts.map(x => x.value));
  const nodeByID = {};
  f.nodes.forEach(n => { nodeByID[n.node] = `${n.chain_name} · ${n.node_name || n.node}`; });
  const isCode = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(f.id);
  const path = f.region_path.map(r => r.name).join('');
  const city = f.region_path.length > 1 ? f.region_path[1].code : (f.region ? f.region.code : '');
  const active = !f.status || f.status === 'active';
  el.innerHTML = `<a class="back" href="javascript:history.back()">← 返回</a>
    <div class="card">
      <div class="firm-head">
        <div><h1>${esc(f.name)}</h1><div class="sub">${isCode ? '统一社会信用代码 ' + esc(f.id) + ' · ' : ''}${esc(path)}${f.region_method ? `（地区依据：${esc(methodLabel(f.region_method))}）` : ''}</div><div>${tags(f.tags)}</div></div>
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
        <div><span>所在园区</span>${f.park ? `<a href="#/park/${encodeURIComponent(f.park)}">查看园区</a>` : '—'}</div>
        <div><span>曾用名/简称</span>${esc([f.short_name].concat(f.aliases || []).filter(Boolean).join('、') || '—')}</div>
        <div><span>地址</span>${esc(f.address || '—')}</div>
        <div><span>数据来源</span>${esc((f.sources || []).map(sourceName).join('、'))}</div>
      </div>
      ${f.scope ? `<p><b>经营范围：</b>${esc(f.scope)}</p>` : ''}
    </div>
    <div class="card">
      <div class="card-head"><h2>所在产业链环节 <small>及其依据</small></h2>
        <div class="tools"><select id="firm-format">${formatOptions('xlsx')}</select>
        <button type="button" id="firm-export">导出上下游关系</button></div></div>
      <table class="table"><thead><tr><th>产业链</th><th>环节</th><th>识别方法</th><th class="num">置信度</th><th>匹配内容</th><th>来源</th><th></th></tr></thead>
      <tbody>${f.nodes.map(n => n.excluded ? `<tr class="excluded"><td>${esc(n.chain_name)}</td><td><s>${esc(n.node_name || n.node)}</s> <span class="tag">已排除</span></td>
        <td colspan="3">人工修正排除${n.excluded_note ? '：' + esc(n.excluded_note) : '（未注明原因）'}${n.method !== 'override' ? `；原依据：${esc(n.method_label || methodLabel(n.method))} ${Number(n.confidence).toFixed(2)} ${esc(n.matched || '')}` : ''}</td>
        <td>${esc(sourceName(n.excluded_by || n.source))}</td><td></td></tr>` : `<tr><td>${esc(n.chain_name)}</td><td>${esc(n.node_name || n.node)}</td><td>${esc(n.method_label || methodLabel(n.method))}</td>
        <td class="num">${Number(n.confidence).toFixed(2)}</td><td>${esc(n.matched || '')}</td><td>${esc(sourceName(n.source))}</td>
        <td>${city ? `<a href="#/map?region=${city}&chain=${encodeURIComponent(n.chain)}&node=${encodeURIComponent(n.node)}">看${esc(f.region_path.length > 1 ? f.region_path[1].name : '')}图谱</a>` : ''}</td></tr>`).join('') ||
        '<tr><td colspan="7" class="empty-note">尚未归入任何环节。</td></tr>'}</tbody></table>
    </div>
    <div class="card"><div class="card-head"><h2>全部事实 <small>每条注明来源</small></h2></div>
      <table class="table"><thead><tr><th>字段</th><th>值</th><th>来源</th></tr></thead>
      <tbody>${f.facts.map(x => { const [k, v] = factLabel(x, regionByCode, nodeByID); return `<tr><td title="${esc(x.predicate)}">${esc(k)}</td><td>${esc(v)}</td><td>${esc(sourceName(x.source))}</td></tr>`; }).join('')}</tbody></table></div>`;
  $('#firm-export').onclick = () => download(`/firms/${encodeURIComponent(f.id)}/export?format=${$('#firm-format').value}`, 'chainkg-firm');
  if (f.park) {
    try { const p = await api('/parks/' + encodeURIComponent(f.park)); $(`#view-firm a[href="#/park/${encodeURIComponent(f.park)}"]`).textContent = p.name; } catch (err) { /* 查看园区 stays */ }
  }
}

// factLabel names a stored fact for a person: the field in Chinese, and
// the value with ids turned into names (a region, a node, a method).
const refNames = {};
// nameRefs looks up the names of the firms and parks facts point to
// (firm/…, park/…), so the facts table shows names, not ids.
async function nameRefs(values) {
  const need = [...new Set(values.filter(v => /^(firm|park)\//.test(v) && !refNames[v]))];
  await Promise.all(need.map(async v => {
    const [kind, ...rest] = v.split('/');
    try { refNames[v] = (await api(`/${kind}s/${encodeURIComponent(rest.join('/'))}`)).name; } catch (err) { refNames[v] = kind === 'park' ? '（园区）' : '（企业）'; }
  }));
}

function factLabel(x, regionByCode, nodeByID) {
  let k = predicateNames[x.predicate], v = x.value;
  if (x.predicate === 'attr') {
    const i = v.indexOf('=');
    const key = i > 0 ? v.slice(0, i) : '';
    v = i > 0 ? v.slice(i + 1) : v;
    k = attrNames[key] || (/[\u4e00-\u9fff]/.test(key) ? key : '其他登记字段');
  } else if (!k) {
    k = '其他字段';
  }
  switch (x.predicate) {
    case 'region': { const c = v.replace(/^region\//, ''); v = regionByCode[c] || regionNames[c] || `行政区划 ${c}`; break; }
    case 'inNode': case 'notInNode': { const n = v.replace(/^node\//, ''); v = nodeByID[n] || nodeName(n); break; }
    case 'regionMethod': case 'method': v = methodLabel(v); break;
    case 'status': v = statusNames[v] || v; break;
    case 'synthetic': v = v === 'true' ? '是（测试用合成数据）' : '否'; break;
    case 'memberOf': case 'park': case 'group': v = refNames[v] || v; break;
  }
  return [k, v];
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

const uploadKinds = { registry: '企业名录（企查查、天眼查、启信宝等导出）', 'chain-firms': '链上企业名单', plan: '规划文件', override: '人工修正' };

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
      <table class="table" id="sources"><thead><tr><th>来源</th><th>类型</th><th>文件</th><th class="num">事实数</th><th>导入时间</th></tr></thead><tbody>
      ${data.sources.map(sourceRow).join('')}</tbody></table></div>`;
  $('#upload-form').onsubmit = async e => { e.preventDefault(); await upload(e.target); };
}

// sourceRow is one loaded source: its title, kind and the file it came
// from (the id, which deleting a source names, in small print).
function sourceRow(s) {
  return `<tr><td>${esc(s.title || sourceName(s.id))}<div class="muted-id">${esc(s.id)}</div></td><td>${esc(sourceKindLabels[s.kind] || s.kind)}</td><td>${esc(s.origin ? s.origin.split('/').pop() : '')}</td><td class="num">${fmtInt(s.facts)}</td>
    <td>${esc(new Date(s.loaded_at).toLocaleString('zh-CN'))}</td></tr>`;
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
  if (r.status < 300) {
    // The next visit to the map asks anew: the new firms are in it.
    state.region = ''; state.chains = {};
    loadSourceTitles(true).catch(() => {});
    await showDataSources();
  }
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
  const warn = (rep.warnings || []).slice(0, 20);
  return `<p class="upload-done">${what}</p><p class="load-counts">${esc(rep.file)}：读取 ${num(rep.rows)} 行，导入 ${num(rep.loaded)}，合并 ${num(rep.merged)}，拒绝 ${num((rep.rejected || []).length)}，警告 ${num((rep.warnings || []).length)}。` +
    (rep.loaded ? ` <a href="#/">到图谱查看</a>` : '') + '</p>' + rejectedHTML(rep) +
    (warn.length ? `<details><summary>警告 ${num((rep.warnings || []).length)} 条</summary><table class="table"><thead><tr><th>行</th><th>列</th><th>说明</th></tr></thead><tbody>${warn.map(x =>
      `<tr><td>${x.line || ''}</td><td>${esc(x.column || '')}</td><td title="${esc(x.reason)}">${esc(reasonText(x.reason))}</td></tr>`).join('')}</tbody></table></details>` : '');
}

// loadReasons says a loader's reasons for a row in Chinese; a reason no
// pattern knows is shown as the loader wrote it.
const loadReasons = [
  [/^no firm name$/, () => '缺少企业名称'],
  [/credit code "(.*?)": character (\d+) '(.+?)' is not allowed/, (m) => `统一社会信用代码「${m[1]}」第 ${m[2]} 位「${m[3]}」不是允许的字符`],
  [/credit code "(.*?)" has (\d+) characters, want 18/, (m) => `统一社会信用代码「${m[1]}」有 ${m[2]} 位，应为 18 位`],
  [/credit code "(.*?)".*check/, (m) => `统一社会信用代码「${m[1]}」校验位不对，请核对原件`],
  [/"(.*?)" is neither an 18-character credit code nor a 15-digit/, (m) => `「${m[1]}」既不是 18 位统一社会信用代码，也不是 15 位注册号`],
  [/"(.*?)" is not a date/, (m) => `「${m[1]}」不是日期`],
  [/"(.*?)" is not a year/, (m) => `「${m[1]}」不是年份`],
  [/"(.*?)" has no number/, (m) => `「${m[1]}」中没有数字`],
  [/"(.*?)" is negative/, (m) => `「${m[1]}」是负数`],
  [/"(.*?)": unknown (currency|unit) "(.*?)"/, (m) => `「${m[1]}」的${m[2] === 'unit' ? '单位' : '币种'}「${m[3]}」无法识别`],
  [/region unknown/, () => '地区不明：没有地区列、地址、可识别的名称或信用代码'],
  [/no chain node matched/, () => '行业、经营范围、产品和名称都没有匹配到产业链环节'],
  [/the same firm as line (\d+) \((.*?)\) with another (.+?):/, (m) => `与第 ${m[1]} 行是同一家企业（${m[2]}），但「${m[3]}」不同：两行已合并，请核实哪一个正确`],
  [/binary data/, () => '单元格含有二进制数据（文件可能已损坏）'],
  [/chain node "(.*?)" is not in the chain library/, (m) => `产业链环节「${m[1]}」不在产业链库中`],
];
function reasonText(r) {
  const text = String(r || '').replace(/^(graph|loaders|api): (invalid: )?/, '');
  for (const [re, f] of loadReasons) { const m = re.exec(text); if (m) return f(m); }
  return text;
}

function rejectedHTML(rep) {
  const rows = (rep.rejected || []).slice(0, 20);
  if (!rows.length) return '';
  return `<table class="table"><thead><tr><th>行</th><th>列</th><th>原因</th></tr></thead><tbody>${rows.map(x =>
    `<tr><td>${x.line || ''}</td><td>${esc(x.column || '')}</td><td title="${esc(x.reason)}">${esc(reasonText(x.reason))}</td></tr>`).join('')}</tbody></table>`;
}

async function showDataSources() {
  try {
    const data = await api('/sources');
    $('#sources tbody').innerHTML = data.sources.map(sourceRow).join('');
  } catch (err) { /* the list stays as it was */ }
}

function regionLabel(r) { return !r ? '' : (typeof r === 'string' ? r : (r.name || r.code || '')); }

// planFacts lists a plan's facts as {kind, label, ev, firm}: what the fact
// says, and its evidence — the sentence, and the span of the fact's own
// words (characters of the document's text) when the extraction kept it.
function planFacts(p) {
  const out = [];
  const chainsOf = cs => (cs || []).length ? `（对应产业链：${cs.map(c => c.name || '未命名产业链').join('、')}）` : '';
  (p.designations || []).forEach(d => out.push({ kind: 'industry', label: `${d.name}：${roleNames[d.role] || '产业定位'}${chainsOf(d.chains)}`, ev: d.evidence, words: d.name }));
  (p.clusters || []).forEach(c => out.push({ kind: 'cluster', label: `产业集群：${c.name}${c.level ? '（' + (clusterLevels[c.level] || c.level) + '）' : ''}${chainsOf(c.chains)}`, ev: c.evidence, words: c.name }));
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
  let body, original = '';
  if (p.normalised_text) {
    // The text the facts were read from — simplified, without pinyin or
    // broken characters — each fact's words marked; the original beside it.
    const chars = Array.from(p.normalised_text);
    const spans = facts.map(f => {
      const e = f.ev || {};
      if (e.norm_end > e.norm_start) return { start: e.norm_start, end: e.norm_end, kind: f.kind, title: f.label };
      const s = spanOf(chars, { words: f.words });
      return s && { ...s, kind: f.kind, title: f.label };
    }).filter(Boolean);
    // U+FFFD marks a character the page lost in a wrong encoding: the
    // extraction reads it as a break, the reader needs not see it.
    body = markSpans(chars, spans).replace(/\uFFFD/g, '').replace(/\n/g, '<br>');
    if (p.text) {
      const raw = Array.from(p.text);
      const rawSpans = facts.map(f => { const s = spanOf(raw, f); return s && { ...s, kind: f.kind, title: f.label }; }).filter(Boolean);
      original = markSpans(raw, rawSpans).replace(/\n/g, '<br>');
    }
  } else if (p.text) {
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
        ${original ? '<p class="hint">下文为规范化后的文本（繁体转简体，去掉拼音与乱码）；<button type="button" id="plan-original">对照原文</button></p>' : ''}
        <div class="plan-text" id="plan-text">${body || '<p class="empty-note">没有原文。</p>'}</div>
        ${original ? `<div class="plan-text plan-original" id="plan-original-text" hidden>${original}</div>` : ''}</div>
      <div class="card"><h2>识别出的事实 <small>${facts.length} 条</small></h2><ul class="facts-list">
        ${facts.map(f => `<li><mark class="${f.kind}">${esc(f.label)}</mark>${f.firm ? ` <a href="#/firm/${encodeURIComponent(f.firm)}">企业页</a>` : ''}</li>`).join('')}</ul>
        ${planGroups(p)}</div>
    </div>`;
  const b = $('#plan-original');
  if (b) b.onclick = () => {
    const orig = $('#plan-original-text'), norm = $('#plan-text');
    const showOrig = orig.hidden;
    orig.hidden = !showOrig; norm.hidden = showOrig;
    b.textContent = showOrig ? '显示规范化文本' : '对照原文';
  };
}

// planGroups lists the groups a plan counts (八大产业…) with the number it
// states and the number found, and where its counts disagree.
function planGroups(p) {
  const groups = p.counted_groups || [], conflicts = p.conflicts || [];
  if (!groups.length && !conflicts.length) return '';
  const rows = groups.map(g => `<tr><td>${esc(g.text)}</td><td class="num">${g.stated || '—'}</td><td class="num">${g.listed}</td>
    <td>${g.mismatch ? '<span class="uncertain">数目不一致</span>' : !g.listed ? '原文未逐一列出' : (g.open ? '列举未完（含“等”）' : '一致')}</td></tr>`).join('');
  const conf = conflicts.map(c => `<li class="uncertain">${esc(c.text)}</li>`).join('');
  return `<h3>计数的产业组</h3><table class="table"><thead><tr><th>原文</th><th class="num">所称数目</th><th class="num">列出数目</th><th>核对</th></tr></thead><tbody>${rows}</tbody></table>
    ${conf ? `<h3>前后矛盾</h3><ul>${conf}</ul>` : ''}`;
}

// ---- 对标: one region against others on a chain, and across its chains ----------

const chainNames = {};
async function nameChains() {
  if (Object.keys(chainNames).length) return;
  const data = await api('/chains');
  (data.chains || []).forEach(c => { chainNames[c.id] = c.name; });
}

function compareHash(region, chain, others) {
  return `#/compare?region=${region}&chain=${encodeURIComponent(chain || '')}&with=${others.join(',')}`;
}

async function showCompare(params) {
  const el = $('#view-compare');
  const region = params.get('region') || state.region || '';
  const chain = params.get('chain') || state.chain || '';
  const others = [...new Set((params.get('with') || '').split(',').filter(c => /^\d{6}$/.test(c) && c !== region))].slice(0, 6);
  if (!region) {
    el.innerHTML = '<div class="card"><h2>对标</h2><p class="empty-note">请先在<a href="#/">图谱</a>页选择一个地区（和产业链），再来与其他地区对标。</p></div>';
    return;
  }
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let across;
  try { across = await api('/compare?region=' + region); } catch (err) {
    el.innerHTML = `<div class="card"><p class="empty-note">${err.status === 404 || err.status === 400 ? `没有行政区划代码为「${esc(region)}」的地区，请回到<a href="#/">图谱</a>重新选择。` : esc(errorSentence(err))}</p></div>`;
    return;
  }
  await nameRegions([region, ...others]);
  const rname = across.region.name;
  const chains = across.chains.slice().sort((a, b) => a.chain.name.localeCompare(b.chain.name, 'zh'));
  el.innerHTML = `<div class="card"><div class="card-head"><h2>对标 <small>${esc(rname)} 与其他地区逐环节比较</small></h2></div>
      <div class="picker compare-picker">
        <label class="wide">产业链<select id="cmp-chain">${option('', '请选择产业链')}${chains.map(c => option(c.chain.id, (c.designated ? '★ ' : '') + c.chain.name, c.chain.id === chain)).join('')}</select></label>
        <label>省份<select id="cmp-prov"></select></label>
        <label>城市/区县<select id="cmp-city" disabled></select></label>
        <button type="button" id="cmp-add" disabled>添加对标地区</button>
        <p class="hint">对标地区 2–6 个：${others.map(c => `<span class="region-chip" data-code="${c}">${esc(regionNames[c] || c)} <button type="button" class="cmp-remove" data-code="${c}" aria-label="移除">×</button></span>`).join('') || '尚未添加'}</p>
      </div>
      <div id="cmp-result"></div></div>
    <div class="card" id="cmp-chains"></div>`;
  // Pickers for the regions to add.
  await fillRegions($('#cmp-prov'), '', region.slice(0, 2) + '0000', '请选择省份');
  // Refilling the cities keeps the one chosen, when the province has it.
  const fillCity = async () => { const p = $('#cmp-prov').value; if (p) await fillRegions($('#cmp-city'), p, null, '（整个省）'); $('#cmp-add').disabled = !p || others.length >= 6; };
  await fillCity();
  $('#cmp-prov').onchange = fillCity;
  $('#cmp-add').onclick = () => {
    const c = $('#cmp-city').value || $('#cmp-prov').value;
    if (c && c !== region && !others.includes(c)) location.hash = compareHash(region, $('#cmp-chain').value, others.concat(c));
  };
  $$('#view-compare .cmp-remove').forEach(b => b.onclick = () => { location.hash = compareHash(region, chain, others.filter(c => c !== b.dataset.code)); });
  $('#cmp-chain').onchange = e => { location.hash = compareHash(region, e.target.value, others); };
  renderAcrossChains(across);
  const out = $('#cmp-result');
  if (!chain) { out.innerHTML = '<p class="empty-note">请选择产业链。</p>'; return; }
  if (others.length < 2) { out.innerHTML = `<p class="empty-note">请再添加 ${2 - others.length} 个对标地区（共 2–6 个）。</p>`; return; }
  out.innerHTML = '<p class="empty-note">正在比较…</p>';
  let cmp;
  try { cmp = await api(`/compare?chain=${encodeURIComponent(chain)}&regions=${[region, ...others].join(',')}`); } catch (err) { showError(out, err); return; }
  out.innerHTML = compareTables(cmp);
}

// compareTables shows the regions' figures, then each node's level and
// firm count per region; group rows are bold, leaves indented.
function compareTables(cmp) {
  const rs = cmp.regions;
  const head = `<tr><th></th>${rs.map(r => `<th>${esc(r.region.name)}</th>`).join('')}</tr>`;
  const row = (label, f) => `<tr><th>${label}</th>${rs.map(r => `<td class="num">${f(r)}</td>`).join('')}</tr>`;
  const lv = l => r => num((r.levels || {})[l]);
  const summary = `<h3 class="sub-title">${esc(cmp.chain.name)}：总体</h3><div class="table-wrap"><table class="table compare-summary">${head}
    ${row('完整度', r => pct(r.completeness))}
    ${row('末端环节有本地企业', r => `${r.leaves_present} / ${r.leaves - r.leaves_no_data}`)}
    ${row('本链本地企业', r => num(r.chain_firms) + ' 家')}
    ${row('优势 / 潜力 / 薄弱 / 空白', r => ['优势', '潜力', '薄弱', '空白'].map(l => lv(l)(r)).join(' / '))}
    ${row('无数据的末端环节', r => num(r.leaves_no_data))}
    ${row('位置待核实（未计入）', r => num(r.coverage.unplaced) + ' 家')}</table></div>
    <details class="coverage-notes"><summary>各地区的数据覆盖</summary>${rs.map(r => `<p><b>${esc(r.region.name)}：</b>${esc(r.coverage.note)}</p>`).join('')}</details>`;
  const nodes = `<h3 class="sub-title">逐环节对比</h3><div class="table-wrap"><table class="table compare-nodes"><thead><tr><th>环节</th>${rs.map(r => `<th>${esc(r.region.name)}</th>`).join('')}</tr></thead><tbody>
    ${cmp.nodes.map(n => `<tr class="${n.leaf ? 'leaf' : 'group'}" data-node="${esc(n.id)}"><td style="padding-left:${10 + 18 * n.depth}px">${esc(n.name)}</td>${(n.regions || []).map(st =>
      `<td>${levelChip(st.level)} ${st.local_firms ? `<b>${st.local_firms}</b> 家` : ''}${st.unplaced_firms ? ` <span class="uncertain">另 ${st.unplaced_firms} 家待核实</span>` : ''}</td>`).join('')}</tr>`).join('')}
    </tbody></table></div>`;
  return summary + nodes;
}

// renderAcrossChains ranks a region's chains: the strongest and weakest
// among chains the data covers (a chain whose leaves are all 无数据 is not
// ranked: the data says nothing of it).
function renderAcrossChains(across) {
  const withData = c => c.leaves - ((c.levels || {})['无数据'] || 0);
  const ranked = across.chains.filter(c => withData(c) > 0).sort((a, b) => b.completeness - a.completeness || b.chain_firms - a.chain_firms);
  const unknown = across.chains.filter(c => withData(c) === 0);
  const strongest = ranked[0], designated = ranked.filter(c => c.designated), weakest = (designated.length ? designated : ranked).slice(-1)[0];
  const link = c => `<a href="#/map?region=${across.region.code}&chain=${encodeURIComponent(c.chain.id)}">${esc(c.chain.name)}</a>`;
  $('#cmp-chains').innerHTML = `<div class="card-head"><h2>${esc(across.region.name)}的各条产业链 <small>哪条最强、哪条最弱</small></h2></div>
    <p class="verdict">${strongest ? `最强：${link(strongest)}（完整度 ${pct(strongest.completeness)}，本地 ${strongest.chain_firms} 家）` : '没有可比较的产业链。'}
      ${weakest && weakest !== strongest ? `　最弱${designated.length ? '（规划重点产业链中）' : ''}：${link(weakest)}（完整度 ${pct(weakest.completeness)}，本地 ${weakest.chain_firms} 家）` : ''}
      ${unknown.length ? `<br><span class="uncertain">另有 ${unknown.length} 条产业链在全部数据中没有企业（无数据），未参与排名：${unknown.map(c => esc(c.chain.name)).join('、')}</span>` : ''}</p>
    <div class="table-wrap"><table class="table" id="cmp-chain-table"><thead><tr><th>产业链</th><th class="num">完整度</th><th class="num">末端环节有本地企业</th><th class="num">本地企业</th><th class="num">优势</th><th class="num">潜力</th><th class="num">薄弱</th><th class="num">空白</th><th class="num">无数据</th></tr></thead><tbody>
    ${ranked.concat(unknown).map(c => `<tr><td>${c.designated ? '★ ' : ''}${link(c)}</td><td class="num"><span class="bar good" style="width:${Math.round(60 * c.completeness)}px"></span>${pct(c.completeness)}</td>
      <td class="num">${c.leaves_present} / ${withData(c)}</td><td class="num">${num(c.chain_firms)}</td>
      ${['优势', '潜力', '薄弱', '空白', '无数据'].map(l => `<td class="num">${num((c.levels || {})[l])}</td>`).join('')}</tr>`).join('')}</tbody></table></div>
    <p class="hint">★ 为当地规划列出的产业链。完整度按末端环节权重计算，无数据的环节不计入。</p>`;
}

// ---- 数据质量 ------------------------------------------------------------------

async function showQuality(params) {
  const el = $('#view-quality');
  const region = params.has('region') ? params.get('region') : (state.region || '');
  const f = { region, kind: params.get('kind') || '', source: params.get('source') || '', status: params.get('status') || 'open', page: +(params.get('page') || 1) };
  const q = new URLSearchParams();
  Object.entries(f).forEach(([k, v]) => { if (v) q.set(k, v); });
  q.set('size', '30');
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let data;
  try { data = await api('/quality?' + q); } catch (err) {
    if (err.status === 404 && region) { el.innerHTML = `<div class="card"><p class="empty-note">没有行政区划代码为「${esc(region)}」的地区。<a href="#/quality?region=">查看全部地区</a></p></div>`; return; }
    showError(el, err); return;
  }
  try { await loadSourceTitles(); } catch (err) { /* ids shown as file names */ }
  if (region) await nameRegions([region]);
  const to = ch => { const g = { ...f, ...ch }; return '#/quality?' + Object.entries(g).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'); };
  const writer = !!token();
  const statusNamesQ = { open: '待处理', marked: '已标记', all: '全部' };
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  el.innerHTML = `<div class="card"><div class="card-head"><h2>数据质量 <small>需要核实的数据</small></h2></div>
      <p class="hint">位置只到省、来源之间地区矛盾、疑似重复、集团与成员、仅凭名称归入环节、未归入任何环节的企业。标为「已处理」或「误报」后不再列在待处理中；标记单独保存，重新导入任何数据都不会丢失。${writer ? '' : '登录（可写的令牌）后可以标记。'}</p>
      <div class="tools quality-filters">
        <label>地区<select id="q-region">${option('', '全部地区', !region)}${region && !data.regions.some(r => r.region.code === region) ? option(region, regionNames[region] || region, true) : ''}${data.regions.map(r => option(r.region.code, r.region.name, r.region.code === region)).join('')}</select></label>
        <label>类型<select id="q-kind">${option('', '全部类型')}${Object.entries(data.kind_labels).map(([k, v]) => option(k, `${v}（${num(data.kinds[k])}）`, k === f.kind)).join('')}</select></label>
        <label>来源<select id="q-source">${option('', '全部来源')}${data.sources.map(s => option(s.id, s.title || sourceName(s.id), s.id === f.source)).join('')}</select></label>
        <label>状态<select id="q-status">${Object.entries(statusNamesQ).map(([k, v]) => option(k, v, k === f.status)).join('')}</select></label>
      </div>
      <p id="q-total">共 ${num(data.total)} 条${data.marked ? `；已标记 ${num(data.marked)} 条` : ''}</p>
      <div class="table-wrap"><table class="table" id="q-items"><thead><tr><th>类型</th><th>企业</th><th>说明</th><th>来源</th><th>处理</th></tr></thead><tbody>
      ${data.items.map(it => `<tr data-key="${esc(it.key)}"><td class="nowrap">${esc(it.kind_label)}</td>
        <td>${it.firms.map(x => `<a href="#/firm/${encodeURIComponent(x.id)}">${esc(x.name)}</a>`).join('<br>')}</td>
        <td class="reason">${esc(it.detail)}</td><td class="reason">${esc((it.sources || []).map(sourceName).join('、'))}</td>
        <td class="mark-cell">${markCell(it, writer)}</td></tr>`).join('') || '<tr><td colspan="5" class="empty-note">没有符合条件的条目。</td></tr>'}
      </tbody></table></div>
      <div class="pager"><a class="button" href="${to({ page: Math.max(1, f.page - 1) })}" ${f.page <= 1 ? 'hidden' : ''}>上一页</a><span>第 ${f.page} / ${pages} 页</span><a class="button" href="${to({ page: f.page + 1 })}" ${f.page >= pages ? 'hidden' : ''}>下一页</a></div>
    </div>
    <div class="card"><div class="card-head"><h2>按来源</h2></div><div class="table-wrap"><table class="table" id="q-sources"><thead><tr><th>来源</th><th>类型</th><th>导入时间</th><th class="num">距今（天）</th><th class="num">企业</th><th class="num">位置仅到省</th><th class="num">地区矛盾</th><th class="num">仅凭名称</th><th class="num">未归入环节</th></tr></thead><tbody>
      ${data.sources.map(s => `<tr><td><a href="${to({ source: s.id, page: 1 })}">${esc(s.title || sourceName(s.id))}</a></td><td>${esc(s.kind_label)}</td><td class="nowrap">${esc(new Date(s.loaded_at).toLocaleDateString('zh-CN'))}</td><td class="num">${num(s.age_days)}</td>
        <td class="num">${num(s.firms)}</td><td class="num">${num(s.province_only)}</td><td class="num">${num(s.region_conflicts)}</td><td class="num">${num(s.weak_links)}</td><td class="num">${num(s.no_node)}</td></tr>`).join('')}</tbody></table></div></div>
    <div class="card"><div class="card-head"><h2>按省份</h2></div><div class="table-wrap"><table class="table" id="q-regions"><thead><tr><th>省份</th><th class="num">企业</th><th class="num">位置仅到省</th><th class="num">地区矛盾</th><th class="num">仅凭名称</th><th class="num">未归入环节</th></tr></thead><tbody>
      ${data.regions.map(r => `<tr><td><a href="${to({ region: r.region.code, page: 1 })}">${esc(r.region.name)}</a></td><td class="num">${num(r.firms)}</td><td class="num">${num(r.province_only)}</td><td class="num">${num(r.region_conflicts)}</td><td class="num">${num(r.weak_links)}</td><td class="num">${num(r.no_node)}</td></tr>`).join('')}</tbody></table></div></div>`;
  $('#q-region').onchange = e => { location.hash = to({ region: e.target.value, page: 1 }); };
  $('#q-kind').onchange = e => { location.hash = to({ kind: e.target.value, page: 1 }); };
  $('#q-source').onchange = e => { location.hash = to({ source: e.target.value, page: 1 }); };
  $('#q-status').onchange = e => { location.hash = to({ status: e.target.value, page: 1 }); };
  $$('#q-items button[data-mark]').forEach(b => b.onclick = async () => {
    const tr = b.closest('tr'), cell = b.closest('td');
    const note = ($('input.mark-note', cell) || {}).value || '';
    b.disabled = true;
    try {
      await send('POST', '/quality/marks', { item: tr.dataset.key, status: b.dataset.mark, note });
      await showQuality(params);
    } catch (err) {
      b.disabled = false;
      cell.insertAdjacentHTML('beforeend', `<p class="upload-refused">${esc(errorSentence(err))}</p>`);
    }
  });
}

// markCell shows an item's mark, and for a writer the buttons to mark it
// (or to take a mark back).
function markCell(it, writer) {
  const m = it.mark;
  const shown = m ? `<span class="tag">${esc(m.status_label)}</span>${m.note ? ' ' + esc(m.note) : ''}${m.at ? `<div class="hint">${esc(new Date(m.at).toLocaleString('zh-CN'))}</div>` : ''}` : '<span class="hint">待处理</span>';
  if (!writer) return shown;
  if (m) return shown + ` <button type="button" data-mark="">撤销标记</button>`;
  return shown + `<div class="mark-form"><input class="mark-note" type="text" placeholder="备注（可选）" aria-label="备注"><button type="button" data-mark="resolved">已处理</button><button type="button" data-mark="wrong">误报</button></div>`;
}

// ---- 招商线索 -------------------------------------------------------------------

// The leads API (POST/GET /api/v1/leads, PATCH/GET /api/v1/leads/{id}) is
// served by a newer server; an older one answers 404, and the page says so
// rather than pretending a lead was kept.
const leadsMissing = '这个服务还没有招商线索接口（/api/v1/leads），线索无法保存或查看。请升级服务后再用。';

const leadField = {
  firmID: l => (l.firm && typeof l.firm === 'object') ? l.firm.id : l.firm,
  firmName: l => l.firm_name || (l.firm && l.firm.name) || refNames['firm/' + leadField.firmID(l)] || '（企业）',
  region: l => (l.region && typeof l.region === 'object') ? l.region.code : l.region,
  regionName: l => l.region_name || (l.region && l.region.name) || regionNames[leadField.region(l)] || '',
  chain: l => (l.chain && typeof l.chain === 'object') ? l.chain.id : l.chain,
  chainName: l => l.chain_name || (l.chain && l.chain.name) || chainNames[leadField.chain(l)] || '',
  node: l => (l.node && typeof l.node === 'object') ? l.node.id : l.node,
  nodeName: l => l.node_name || (l.node && l.node.name) || (leadField.node(l) ? nodeNames[leadField.node(l)] || '' : ''),
  parkName: l => l.park_name || (l.park && l.park.name) || (l.park ? refNames['park/' + l.park] || '' : ''),
  when: l => l.updated_at || l.updated || l.created_at || l.created || '',
};

function leadsList(data) { return Array.isArray(data) ? data : (data.leads || data.items || []); }

async function nameLeads(leads) {
  await Promise.all([
    nameChains().catch(() => {}),
    nameRegions(leads.map(leadField.region).filter(Boolean)).catch(() => {}),
    nameNodes(leads.map(leadField.node).filter(Boolean)),
    nameRefs(leads.filter(l => !l.firm_name && !(l.firm && l.firm.name)).map(l => 'firm/' + leadField.firmID(l))
      .concat(leads.filter(l => l.park && typeof l.park === 'string' && !l.park_name).map(l => 'park/' + l.park))),
  ]);
}

async function showLeads(params) {
  const el = $('#view-leads');
  const f = {
    region: params.has('region') ? params.get('region') : (state.region || ''), chain: params.has('chain') ? params.get('chain') : (state.chain || ''),
    status: params.get('status') || '', owner: params.get('owner') || '',
  };
  const q = new URLSearchParams();
  Object.entries(f).forEach(([k, v]) => { if (v) q.set(k, v); });
  el.innerHTML = '<p class="empty-note">加载中…</p>';
  let data;
  try { data = await api('/leads?' + q); } catch (err) {
    if (err.status === 404) { el.innerHTML = `<div class="card"><h2>招商线索</h2><p class="empty-note" id="leads-missing">${esc(leadsMissing)}</p></div>`; return; }
    if (err.status === 401 || err.status === 403) { el.innerHTML = `<div class="card"><h2>招商线索</h2><p class="empty-note">招商线索只对登录用户开放：请点右上角「登录」输入访问令牌。</p></div>`; return; }
    showError(el, err); return;
  }
  const leads = leadsList(data);
  const today = new Date().toLocaleDateString('sv-SE');
  await nameLeads(leads);
  if (f.region) await nameRegions([f.region]);
  await nameChains().catch(() => {});
  const to = ch => '#/leads?' + Object.entries({ ...f, ...ch }).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  el.innerHTML = `<div class="card"><div class="card-head"><h2>招商线索 <small>从招商目标加入，跟踪接触、拜访、洽谈、签约到落地</small></h2></div>
      <div class="tools">
        <label>地区<select id="l-region">${option('', '全部地区', !f.region)}${f.region ? option(f.region, regionNames[f.region] || f.region, true) : ''}</select></label>
        <label>产业链<select id="l-chain">${option('', '全部产业链', !f.chain)}${Object.entries(chainNames).map(([k, v]) => option(k, v, k === f.chain)).join('')}</select></label>
        <label>状态<select id="l-status">${option('', '全部状态', !f.status)}${leadStatuses.map(s => option(s, s, s === f.status)).join('')}</select></label>
        <label>负责人<input id="l-owner" type="text" value="${esc(f.owner)}" placeholder="姓名"></label>
        <button type="button" id="l-apply">筛选</button>
      </div>
      ${leadFunnel(leads)}
      <div class="table-wrap"><table class="table" id="leads"><thead><tr><th>企业</th><th>地区 · 产业链 · 环节</th><th>园区</th><th>负责人</th><th>状态</th><th>更新</th><th>推进</th></tr></thead><tbody>
      ${leads.map((l, i) => `<tr data-id="${esc(l.id)}"><td class="firm-name"><a href="#/firm/${encodeURIComponent(leadField.firmID(l))}">${esc(leadField.firmName(l))}</a></td>
        <td>${esc([leadField.regionName(l), leadField.chainName(l), leadField.nodeName(l)].filter(Boolean).join(' · '))}</td><td>${esc(leadField.parkName(l))}</td>
        <td>${esc(l.owner || '')}</td><td><span class="lead-status">${esc(l.status || '待接触')}</span></td><td class="nowrap">${esc(leadField.when(l) ? new Date(leadField.when(l)).toLocaleDateString('zh-CN') : '')}</td>
        <td class="lead-move"><select class="l-next" aria-label="新状态">${leadStatuses.map(s => option(s, s, s === l.status)).join('')}</select>
          <input type="date" class="l-date" value="${today}" data-default="${today}" aria-label="日期"><input type="text" class="l-note" placeholder="备注" aria-label="备注">
          <button type="button" class="l-save" data-i="${i}">更新</button><button type="button" class="l-history" data-i="${i}">历史</button><div class="l-out"></div></td></tr>`).join('') ||
        '<tr><td colspan="7" class="empty-note">没有符合条件的线索。可在图谱页的招商目标表中点「加入招商线索」。</td></tr>'}
      </tbody></table></div></div>`;
  $('#l-apply').onclick = () => { location.hash = to({ region: $('#l-region').value, chain: $('#l-chain').value, status: $('#l-status').value, owner: $('#l-owner').value.trim() }); };
  ['#l-region', '#l-chain', '#l-status'].forEach(s => { $(s).onchange = () => $('#l-apply').click(); });
  $$('#leads .l-save').forEach(b => b.onclick = async () => {
    const tr = b.closest('tr'), out = $('.l-out', tr);
    // Left at today, the date is the server's today (China time), not the
    // browser's, which may still be yesterday there.
    const body = { status: $('.l-next', tr).value };
    if ($('.l-date', tr).value && $('.l-date', tr).value !== $('.l-date', tr).dataset.default) body.date = $('.l-date', tr).value;
    if ($('.l-note', tr).value.trim()) body.note = $('.l-note', tr).value.trim();
    b.disabled = true;
    try { await send('PATCH', '/leads/' + encodeURIComponent(tr.dataset.id), body); await showLeads(params); } catch (err) {
      b.disabled = false;
      out.innerHTML = `<p class="upload-refused">${esc(err.status === 404 ? leadsMissing : errorSentence(err))}</p>`;
    }
  });
  $$('#leads .l-history').forEach(b => b.onclick = async () => {
    const tr = b.closest('tr'), out = $('.l-out', tr);
    try {
      const l = await api('/leads/' + encodeURIComponent(tr.dataset.id));
      // Who: the token's role and a number for the token (the API gives its
      // hash in hex); what: the fields a person follows, with names not ids.
      const who = by => {
        const [role, hash] = String(by || '').split('·');
        const roles = { writer: '写入者', admin: '管理员', reader: '只读用户' };
        return (roles[role] || '用户') + (hash && /^[0-9a-f]+$/.test(hash) ? `（令牌${parseInt(hash, 16) % 100000}）` : '');
      };
      const shown = { status: 1, date: 1, owner: 1, next: 1, note: 1, park: 1, node: 1 };
      const named = (ref, v) => ref && typeof ref === 'object' && (ref.id === v || String(v).endsWith('/' + ref.id)) ? ref.name : '';
      const value = (c, v) => !v ? '—' : c.field === 'node' ? (named(l.node, v) || nodeNames[v] || '（环节）')
        : c.field === 'park' ? (named(l.park, v) || refNames['park/' + v] || '（园区）') : v;
      const change = c => `${c.field_label || c.field}：${value(c, c.from)} → ${value(c, c.to)}`;
      const what = h => {
        const cs = (h.changes || []).filter(c => shown[c.field]);
        const created = (h.changes || []).some(c => c.field === 'firm' && !c.from);
        return (created ? '创建线索' + (cs.length ? '；' : '') : '') + cs.map(change).join('；');
      };
      out.innerHTML = `<ol class="lead-history">${(l.history || []).map(h => `<li>${esc(h.at ? new Date(h.at).toLocaleString('zh-CN') : '')} ${esc(who(h.by))}：${esc(what(h) || h.status || '')}${h.note ? ' · ' + esc(h.note) : ''}</li>`).join('') || '<li>没有记录。</li>'}</ol>`;
    } catch (err) { out.innerHTML = `<p class="upload-refused">${esc(errorSentence(err))}</p>`; }
  });
}

// leadFunnel counts the listed leads at each status per region × chain
// (a lead past a status has passed through it), and the average days a
// step took where the leads carry their history.
function leadFunnel(leads) {
  if (!leads.length) return '';
  const groups = new Map();
  leads.forEach(l => {
    const k = `${leadField.regionName(l)} · ${leadField.chainName(l)}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(l);
  });
  const flow = leadStatuses.slice(0, 6);
  const reached = (l, s) => l.status !== '已放弃' ? flow.indexOf(l.status || '待接触') >= flow.indexOf(s) : (l.history || []).some(h => flow.indexOf(h.status) >= flow.indexOf(s));
  const days = (ls, s) => {
    const d = [];
    ls.forEach(l => {
      const h = (l.history || []).filter(x => x.status && (x.date || x.at));
      const i = h.findIndex(x => x.status === s);
      if (i > 0) d.push((new Date(h[i].date || h[i].at) - new Date(h[i - 1].date || h[i - 1].at)) / 864e5);
    });
    return d.length ? `<div class="hint">平均 ${Math.round(d.reduce((a, b) => a + b, 0) / d.length)} 天</div>` : '';
  };
  return `<h3 class="sub-title">漏斗 <small>到达各阶段的线索数</small></h3><div class="table-wrap"><table class="table" id="lead-funnel"><thead><tr><th>地区 · 产业链</th>${flow.map(s => `<th class="num">${s}</th>`).join('')}<th class="num">已放弃</th></tr></thead><tbody>
    ${[...groups.entries()].map(([k, ls]) => `<tr><td>${esc(k)}</td>${flow.map(s => `<td class="num">${ls.filter(l => reached(l, s)).length}${days(ls, s)}</td>`).join('')}<td class="num">${ls.filter(l => l.status === '已放弃').length}</td></tr>`).join('')}
    </tbody></table></div>`;
}

// openLeadDialog asks who follows a target up and where it could land,
// then records it as a lead.
function openLeadDialog(t) {
  const d = $('#lead-dialog');
  const nodes = t.gap_nodes || [];
  d.innerHTML = `<form method="dialog" id="lead-form"><h3>加入招商线索：${esc(t.firm.name)}</h3>
    <p class="hint">${esc(state.mapData.region.name)} · ${esc(state.mapData.chain.name)}</p>
    <label>可补环节<select name="node">${nodes.map(n => option(n, nodeName(n))).join('')}${nodes.length ? '' : option('', '（未指定）')}</select></label>
    <label>落地园区<input name="park_name" type="text" value="${esc(t.park ? t.park.name : '')}" readonly></label>
    <label>负责人<input name="owner" type="text" value="${esc(localStorage.getItem('chainkg-owner') || '')}"></label>
    <label>备注<textarea name="note" rows="2"></textarea></label>
    <div class="tools"><button type="submit" value="save" class="primary">保存线索</button><button type="submit" value="cancel">取消</button></div>
    <div id="lead-out"></div></form>`;
  d.showModal();
  $('#lead-form').onsubmit = async e => {
    if (e.submitter && e.submitter.value === 'cancel') return;
    e.preventDefault();
    const fd = new FormData(e.target);
    const body = { firm: t.firm.id, region: state.region, chain: state.chain };
    if (fd.get('node')) body.node = fd.get('node');
    if (t.park && t.park.id) body.park = t.park.id;
    if (fd.get('owner').trim()) { body.owner = fd.get('owner').trim(); localStorage.setItem('chainkg-owner', body.owner); }
    if (fd.get('note').trim()) body.note = fd.get('note').trim();
    const out = $('#lead-out');
    try {
      const lead = await send('POST', '/leads', body);
      out.innerHTML = `<p class="upload-done">已加入招商线索（编号 ${esc(lead && lead.id)}）。<a href="#/leads?region=${state.region}&chain=${encodeURIComponent(state.chain)}">查看招商线索</a></p>`;
      $('button[value=save]', e.target).disabled = true;
    } catch (err) {
      out.innerHTML = `<p class="upload-refused">${esc(err.status === 404 ? leadsMissing : err.status === 401 || err.status === 403 ? '记录线索需要可写的访问令牌：请先点右上角「登录」。' : errorSentence(err))}</p>`;
    }
  };
  d.addEventListener('click', e => { if (e.target.tagName === 'A') d.close(); }, { once: true });
}

// ---- 模拟落地 (what-if) ------------------------------------------------------------

// runWhatif asks the server for the map as it would be were the firms
// local (nothing is written), then marks on the picture each link whose
// level changes, and says how completeness moves.
async function runWhatif(targets) {
  const p = $('#whatif');
  p.hidden = false;
  p.innerHTML = '<p class="empty-note">正在模拟…</p>';
  p.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  const body = { firms: targets.map(t => t.firm.id) };
  if (targets.length === 1 && targets[0].park && targets[0].park.id) body.park = targets[0].park.id;
  let data;
  try { data = await send('POST', rc() + '/whatif', body); } catch (err) {
    p.innerHTML = `<p class="upload-refused" id="whatif-missing">${esc(err.status === 404 ? '这个服务还没有模拟落地接口（…/whatif），无法模拟。请升级服务后再用。' : errorSentence(err))}</p>`;
    return;
  }
  const before = data.before || state.mapData, after = data.after || data.map;
  if (!after || !after.nodes) { p.innerHTML = '<p class="upload-refused">服务的回答中没有模拟后的图谱，无法显示变化。</p>'; return; }
  const was = {};
  before.nodes.forEach(n => { was[n.id] = n; });
  const changed = after.nodes.filter(n => was[n.id] && (was[n.id].level !== n.level || was[n.id].local_firms !== n.local_firms));
  clearWhatif();
  changed.forEach(n => {
    $$(`#map [data-node="${CSS.escape(n.id)}"]`).forEach(g => {
      g.classList.add('whatif-changed');
      const r = g.querySelector('rect');
      if (!r) return;
      const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
      t.setAttribute('x', +r.getAttribute('x') + +r.getAttribute('width') - 6);
      t.setAttribute('y', +r.getAttribute('y') - 4);
      t.setAttribute('text-anchor', 'end');
      t.setAttribute('class', 'whatif-label');
      t.textContent = was[n.id].level !== n.level ? `${was[n.id].level}→${n.level}` : `+${n.local_firms - was[n.id].local_firms} 家`;
      g.appendChild(t);
    });
  });
  const names = targets.map(t => t.firm.name).join('、');
  p.innerHTML = `<h3>模拟落地：${esc(names)}${body.park ? `落户${esc(targets[0].park.name)}` : ''} <small>（仅为模拟，未写入任何数据）</small></h3>
    <p>完整度 <b>${pct(before.completeness)}</b> → <b>${pct(after.completeness)}</b>；末端环节有本地企业 ${before.leaves_present} → ${after.leaves_present}。</p>
    ${changed.length ? `<table class="table" id="whatif-changes"><thead><tr><th>环节</th><th>模拟前</th><th>模拟后</th><th class="num">本地企业</th></tr></thead><tbody>${changed.map(n =>
      `<tr><td>${esc(n.name)}</td><td>${levelChip(was[n.id].level)}</td><td>${levelChip(n.level)}</td><td class="num">${was[n.id].local_firms} → ${n.local_firms}</td></tr>`).join('')}</tbody></table>`
      : '<p class="hint">没有环节的等级或本地企业数发生变化。</p>'}
    <button type="button" id="whatif-clear">清除模拟</button>`;
  $('#whatif-clear').onclick = () => { clearWhatif(); p.hidden = true; };
}

function clearWhatif() {
  $$('#map .whatif-label').forEach(t => t.remove());
  $$('#map .whatif-changed').forEach(g => g.classList.remove('whatif-changed'));
}

// ---- 简报: one printable page per region × chain -------------------------------------

async function showBrief(params) {
  const el = $('#view-brief');
  const region = params.get('region') || state.region, chain = params.get('chain') || state.chain;
  if (!region || !chain) { el.innerHTML = '<div class="card"><p class="empty-note">请先在<a href="#/">图谱</a>页选择地区和产业链，再打开简报。</p></div>'; return; }
  el.innerHTML = '<p class="empty-note">正在生成简报…</p>';
  const base = `/regions/${encodeURIComponent(region)}/chains/${encodeURIComponent(chain)}`;
  let map, gaps, anchors, targets, svg;
  try {
    [map, gaps, anchors, targets, svg] = await Promise.all([api(base + '/map'), api(base + '/gaps'), api(base + '/anchors'), api(base + '/targets?size=6&sort=score'), apiText(base + '/map.svg')]);
  } catch (err) {
    el.innerHTML = `<div class="card"><p class="empty-note">${err.status === 404 || err.status === 400 ? '地址中的地区或产业链不存在，请回到<a href="#/">图谱</a>重新选择。' : esc(errorSentence(err))}</p></div>`;
    return;
  }
  await nameRegions(targets.targets.map(x => x.firm.region));
  const nm = id => (map.nodes.find(n => n.id === id) || {}).name || '（其他环节）';
  const today = new Date().toLocaleDateString('zh-CN');
  const firstClause = s => { const i = String(s).search(/[；。]/); return i > 0 ? s.slice(0, i) : s; };
  document.title = `${map.region.name} · ${map.chain.name} 招商简报`;
  el.innerHTML = `<div class="brief">
    <div class="no-print brief-tools"><a class="button" href="#/map?region=${region}&chain=${encodeURIComponent(chain)}">← 返回图谱</a><button type="button" class="primary" id="brief-print">打印 / 存为 PDF</button></div>
    <header class="brief-head"><h1 id="brief-title">${esc(map.region.name)} · ${esc(map.chain.name)}产业链招商简报</h1><div class="sub">${esc(today)} · chainkg 产业链招商图谱</div></header>
    <div class="brief-kpis">
      <div><b>${pct(map.completeness)}</b><span>完整度</span></div>
      <div><b>${map.leaves_present} / ${map.leaves - map.leaves_no_data}</b><span>末端环节有本地企业</span></div>
      <div><b>${gaps.gaps.length}</b><span>缺口环节</span></div>
      <div><b>${anchors.anchors.length}</b><span>链主企业</span></div>
      <div><b>${targets.total}</b><span>招商目标</span></div>
    </div>
    ${map.designations.length ? `<p class="brief-plan">${map.designations.map(d => `规划定位：《${esc(d.plan_title)}》将「${esc(d.name)}」列为${esc(roleNames[d.role] || '产业定位')}`).join('；')}</p>` : ''}
    <figure class="brief-map">${svg}</figure>
    <div class="brief-cols">
      <section><h2>主要缺口 <small>前 5 个，按严重度</small></h2><table class="table"><thead><tr><th>环节</th><th>等级</th><th>原因</th></tr></thead><tbody>
        ${gaps.gaps.slice(0, 5).map(g => `<tr><td class="nowrap">${esc(g.name)}</td><td>${levelChip(g.level)}</td><td class="brief-reason">${esc(g.reason)}</td></tr>`).join('') || '<tr><td colspan="3">没有空白或薄弱的末端环节。</td></tr>'}</tbody></table></section>
      <section><h2>重点招商目标 <small>前 6 家，按得分</small></h2><table class="table"><thead><tr><th>企业</th><th>地区</th><th>可补环节</th><th class="num">得分</th></tr></thead><tbody>
        ${targets.targets.map(x => `<tr><td>${esc(x.firm.name)}<div class="hint brief-why">${esc(firstClause(x.reason))}</div></td><td class="nowrap">${esc(regionNames[x.firm.region] || '')}</td><td>${esc(x.gap_nodes.map(nm).join('、'))}</td><td class="num">${fmt1(x.score)}</td></tr>`).join('') || '<tr><td colspan="4">没有符合条件的企业。</td></tr>'}</tbody></table></section>
    </div>
    ${anchors.anchors.length ? `<p><b>链主企业：</b>${anchors.anchors.map(a => esc(a.firm.name)).join('、')}</p>` : ''}
    <p class="coverage"><b>数据覆盖：</b>${esc(map.coverage.note)}</p>
  </div>`;
  $$('#view-brief .brief-map svg > text').forEach(t => {
    if (t.textContent.endsWith('产业链图谱') || t.textContent.startsWith('规划定位：')) t.style.display = 'none';
  });
  $('#brief-print').onclick = () => window.print();
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
signInState();
route();
