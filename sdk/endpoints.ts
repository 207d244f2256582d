/** Regions the official SDK lists whose DMS endpoint does not follow `dms.{region}.myhuaweicloud.com`. */
const SPECIAL_ENDPOINTS: Record<string, string> = {
  "eu-west-101": "https://dms.eu-west-101.myhuaweicloud.eu",
};

/** The DMS endpoint of a region; an unknown region still gets the usual pattern. */
export function dmsEndpoint(region: string, cloud = "myhuaweicloud.com"): string {
  return SPECIAL_ENDPOINTS[region] ?? `https://dms.${region}.${cloud}`;
}
