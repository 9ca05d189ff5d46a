// The page's words in Chinese (the default: its users are district
// officials) and English.

const langKey = 'gridwatch.lang';

const words = {
  zh: {
    title: '网格治理地图',
    synthetic: '合成数据，不对应任何真实地点',
    layers: '图层',
    grids: '网格',
    townships: '乡镇（街道）边界',
    villages: '村（社区）边界',
    gaps: '视频盲区',
    hotspots: '无监控警情热点',
    cameras: '摄像头',
    viewsheds: '摄像头视域',
    beats: '警务区',
    misfits: '网格与警务区错位',
    responders: '警力',
    incidents: '警情热力',
    response_gaps: '出警超时区域',
    loading: '加载中…',
    loaded: '个要素',
    forbidden: '需分析员令牌',
    unavailable: '暂不可用',
    error: '加载失败',
    zoomIn: '请放大查看',
    download: '下载此图层 GeoJSON',
    figure: '网格指标',
    noData: '无数据',
    township: '乡镇（街道）',
    village: '村（社区）',
    all: '全部',
    variant: '口径',
    installed: '全部已装',
    operational: '仅在线',
    token: '令牌',
    tokenPlaceholder: '分析员令牌（仅本次会话保存）',
    save: '保存',
    clear: '清除',
    tokenSet: '已使用令牌',
    tokenNone: '未使用令牌',
    language: 'English',
    hint: '单击网格查看详情；右键单击任意位置查询责任网格与就近警力。',
    needAnalyst: '需要分析员令牌的图层：',
    close: '关闭',
    coverage: '视频覆盖',
    load: '警力负荷',
    staffing: '人员配备（标准：一区一警两辅）',
    response: '出警时间',
    topGaps: '主要盲区',
    noGaps: '无盲区',
    dispatch: '就近调度',
    dispatchHere: '查询此点的就近警力',
    responsible: '责任单位',
    grid: '网格',
    beat: '警务区',
    station: '派出所',
    officer: '责任民警',
    gridStaff: '网格力量',
    nearest: '就近可用警力',
    outside: '该点在辖区之外',
    distance: '距离',
    eta: '预计到达',
    rank: '序',
    name: '姓名',
    role: '身份',
    meets: '有联系民警',
    belowNorm: '无联系民警',
    norm: '标准',
    assigned: '在岗（人）',
    share: '折算（人）',
    priority: '优先级',
    area: '面积',
    population: '人口',
    households: '户数',
    incidentsN: '警情',
    places: '重点场所',
    camerasN: '摄像头',
    online: '在线',
    offline: '离线',
    none: '无',
    minutes: '分钟',
    worst: '最长到达时间',
    mean: '人口加权平均到达时间',
    police: '民警',
    auxiliary: '辅警',
    grid_worker: '网格员',
    volunteer: '义警',
    xueliang: '雪亮工程',
    rural_ground_network: '乡村地网',
    courtyard: '农户共享',
    coverage_area: '面积覆盖率',
    coverage_settlement_area: '居民点覆盖率',
    coverage_population: '人口覆盖率',
    coverage_incidents: '警情在监控范围内比例',
    coverage_places: '重点场所覆盖率',
    online_rate: '摄像头在线率',
    cameras_count: '摄像头数量',
    load_index: '警力负荷指数',
    residents_per_police: '每名民警服务居民',
    households_per_police: '每名民警服务户数',
    incidents_per_police: '每名民警警情数',
    area_km2_per_police: '每名民警辖区面积（km²）',
    police_assigned: '民警人数',
    auxiliaries_assigned: '辅警人数',
    incidents_window: '警情数（统计期）',
    incidents_30d: '近30天警情数',
    population_fig: '人口',
    eta_worst: '最长出警到达时间（分钟）',
    eta_mean: '平均出警到达时间（分钟）',
    population_beyond: '出警超时人口',
    groupBase: '基础',
    groupCoverage: '视频覆盖',
    groupLoad: '警力负荷',
    groupResponse: '出警时间',
    p_priority: '优先级',
    p_area_m2: '面积',
    p_population: '人口',
    p_incidents: '警情',
    p_places: '重点场所',
    p_grid: '网格',
    p_grids: '网格',
    p_village: '村（社区）',
    p_township: '乡镇（街道）',
    p_source: '来源',
    p_type: '类型',
    p_online: '在线',
    p_bearing_deg: '朝向（度）',
    p_fov_deg: '视角（度）',
    p_range_m: '有效距离（米）',
    p_installed: '安装日期',
    p_name: '姓名',
    p_role: '身份',
    p_station: '派出所',
    p_available: '可出警',
    p_updated: '位置更新时间',
    p_rank: '排序',
    p_worst_s: '最长到达时间',
    p_count: '警情数',
    p_cell: 'H3 单元',
    p_beat: '警务区',
    p_share: '比例',
    yes: '是',
    no: '否',
  },
  en: {
    title: 'Grid governance map',
    synthetic: 'Synthetic data describing no real place',
    layers: 'Layers',
    grids: 'Grids',
    townships: 'Township outlines',
    villages: 'Village outlines',
    gaps: 'Coverage gaps',
    hotspots: 'Unwatched hotspots',
    cameras: 'Cameras',
    viewsheds: 'Camera viewsheds',
    beats: 'Police beats',
    misfits: 'Grid–beat misfits',
    responders: 'Responders',
    incidents: 'Incidents (heat)',
    response_gaps: 'Response-time gaps',
    loading: 'loading…',
    loaded: 'features',
    forbidden: 'needs an analyst token',
    unavailable: 'unavailable',
    error: 'failed to load',
    zoomIn: 'zoom in to see',
    download: 'Download this layer as GeoJSON',
    figure: 'Grid figure',
    noData: 'no data',
    township: 'Township',
    village: 'Village',
    all: 'All',
    variant: 'Cameras',
    installed: 'installed',
    operational: 'operational',
    token: 'Token',
    tokenPlaceholder: 'analyst token (kept for this session)',
    save: 'Save',
    clear: 'Clear',
    tokenSet: 'token in use',
    tokenNone: 'no token',
    language: '中文',
    hint: 'Click a grid for its details; right-click anywhere for the responsible grid and the nearest responders.',
    needAnalyst: 'Layers that need an analyst token: ',
    close: 'Close',
    coverage: 'Video coverage',
    load: 'Police load',
    staffing: 'Staffing (norm: one officer, two auxiliaries)',
    response: 'Response time',
    topGaps: 'Top gaps',
    noGaps: 'no gaps',
    dispatch: 'Dispatch',
    dispatchHere: 'Nearest responders to this point',
    responsible: 'Responsible',
    grid: 'Grid',
    beat: 'Beat',
    station: 'Station',
    officer: 'Grid officer',
    gridStaff: 'Assigned to the grid',
    nearest: 'Nearest available responders',
    outside: 'This point is outside the district',
    distance: 'Distance',
    eta: 'Arrival',
    rank: '#',
    name: 'Name',
    role: 'Role',
    meets: 'has a linked officer',
    belowNorm: 'no linked officer',
    norm: 'norm',
    assigned: 'assigned',
    share: 'share',
    priority: 'Priority',
    area: 'Area',
    population: 'Population',
    households: 'Households',
    incidentsN: 'Incidents',
    places: 'Key places',
    camerasN: 'Cameras',
    online: 'online',
    offline: 'offline',
    none: 'none',
    minutes: 'min',
    worst: 'Worst arrival',
    mean: 'Population-weighted mean arrival',
    police: 'Police officer',
    auxiliary: 'Auxiliary',
    grid_worker: 'Grid worker',
    volunteer: 'Volunteer',
    xueliang: 'Xueliang',
    rural_ground_network: 'Rural Ground Network',
    courtyard: 'Courtyard (shared)',
    coverage_area: 'Area covered',
    coverage_settlement_area: 'Settlement area covered',
    coverage_population: 'Population covered',
    coverage_incidents: 'Incidents in view',
    coverage_places: 'Key places in view',
    online_rate: 'Camera online rate',
    cameras_count: 'Cameras',
    load_index: 'Load index',
    residents_per_police: 'Residents per officer',
    households_per_police: 'Households per officer',
    incidents_per_police: 'Incidents per officer',
    area_km2_per_police: 'km² per officer',
    police_assigned: 'Police officers',
    auxiliaries_assigned: 'Auxiliaries',
    incidents_window: 'Incidents (window)',
    incidents_30d: 'Incidents, last 30 days',
    population_fig: 'Population',
    eta_worst: 'Worst arrival time (min)',
    eta_mean: 'Mean arrival time (min)',
    population_beyond: 'People beyond the time limit',
    groupBase: 'Base',
    groupCoverage: 'Video coverage',
    groupLoad: 'Police load',
    groupResponse: 'Response time',
    p_priority: 'Priority',
    p_area_m2: 'Area',
    p_population: 'Population',
    p_incidents: 'Incidents',
    p_places: 'Key places',
    p_grid: 'Grid',
    p_grids: 'Grids',
    p_village: 'Village',
    p_township: 'Township',
    p_source: 'Source',
    p_type: 'Type',
    p_online: 'Online',
    p_bearing_deg: 'Bearing (°)',
    p_fov_deg: 'Field of view (°)',
    p_range_m: 'Range (m)',
    p_installed: 'Installed',
    p_name: 'Name',
    p_role: 'Role',
    p_station: 'Station',
    p_available: 'Available',
    p_updated: 'Position updated',
    p_rank: 'Rank',
    p_worst_s: 'Worst arrival',
    p_count: 'Incidents',
    p_cell: 'H3 cell',
    p_beat: 'Beat',
    p_share: 'Share',
    yes: 'yes',
    no: 'no',
  },
};

/** initialLang reads ?lang=, then the stored choice; Chinese by default. */
export function initialLang() {
  const q = new URLSearchParams(location.search).get('lang');
  if (q === 'en' || q === 'zh') return q;
  try {
    const saved = localStorage.getItem(langKey);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // Storage may be disabled.
  }
  return 'zh';
}

/** I18n translates keys in the current language. */
export class I18n {
  constructor(lang) {
    this.lang = lang;
    this.formats = new Map();
  }

  /** format returns a cached number format (building one is slow). */
  format(digits) {
    const key = this.lang + digits;
    if (!this.formats.has(key)) {
      this.formats.set(key, new Intl.NumberFormat(this.lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));
    }
    return this.formats.get(key);
  }

  t(key) {
    const w = words[this.lang] || words.zh;
    return w[key] !== undefined ? w[key] : words.zh[key] !== undefined ? words.zh[key] : key;
  }

  toggle() {
    this.lang = this.lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(langKey, this.lang);
    } catch {
      // Storage may be disabled.
    }
  }

  /** num formats a number for the language. */
  num(v, digits = 0) {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v !== 'number') return String(v);
    return this.format(digits).format(v);
  }

  pct(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v !== 'number') return String(v);
    return (v * 100).toFixed(1) + '%';
  }

  minutes(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    return (seconds / 60).toFixed(1) + ' ' + this.t('minutes');
  }

  metres(m) {
    if (m === null || m === undefined) return '—';
    return m >= 1000 ? (m / 1000).toFixed(2) + ' km' : Math.round(m) + ' m';
  }

  area(m2) {
    if (m2 === null || m2 === undefined) return '—';
    return m2 >= 1e6 ? (m2 / 1e6).toFixed(2) + ' km²' : this.format(0).format(Math.round(m2)) + ' m²';
  }
}
