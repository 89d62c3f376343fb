/** (to be declared) */
export const VULNS = {};
