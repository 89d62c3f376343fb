/** (to be declared) */
export const HOSTS = {};
