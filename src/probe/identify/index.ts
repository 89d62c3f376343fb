export { identifyService, orderModules, peekFirstBytes, type IdentifyOptions, type IdentifyResult } from './identify.js';
export { classifyFirstBytes, REQUEST_FIRST_ORDER, SERVER_FIRST_ORDER } from './first-bytes.js';
export { defaultModules } from './default-modules.js';
export { bannerText } from './banner-text.js';
