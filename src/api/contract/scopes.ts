/** (to be declared) */
export const SCOPES = {};
