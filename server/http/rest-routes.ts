// The REST route table bound to a router: which route a request is (for the handlers, request
// tracking, metrics and traces). Apart from the handlers so the observers can name routes
// without depending on the services the handlers call.
import FindMyWay from "find-my-way";
import { restApi, templateOf, type HttpMethod, type RestRoute, type RestRouteName } from "@/lib/api/rest";
import { REST_OPERATIONS } from "@/lib/policy";

export interface Bound {
  name: RestRouteName;
  route: RestRoute;
  template: string;
}

const router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 200 });
for (const [name, route] of Object.entries(restApi) as [RestRouteName, RestRoute][]) {
  const template = templateOf(route);
  if (!REST_OPERATIONS[template]) throw new Error(`no operation for REST route ${template} in lib/policy.ts`);
  router.on(route.method, `/api/v1${route.path}`, () => {}, { name, route, template } satisfies Bound);
}

/** Every route as `METHOD /path`, for the authorization matrix and the OpenAPI test. */
export const restTemplates = (Object.values(restApi) as RestRoute[]).map(templateOf);

/** The route template a request matches (`POST /api/v1/tasks/:id/cancel`), for request tracking. */
export function restRouteOf(method: string, pathname: string): string {
  if (pathname === "/api/v1/openapi.json") return "GET /api/v1/openapi.json";
  const m = router.find(method as HttpMethod, pathname);
  if (m) return `${method} /api/v1${(m.store as Bound).route.path}`;
  return pathname.startsWith("/api/v1/") ? "other /api/v1" : `other ${pathname.startsWith("/api/auth/") ? pathname : "/api"}`;
}

/** The route a method and path are, with its parameters; null when none is. */
export const findRoute = (method: HttpMethod, pathname: string) => router.find(method, pathname);
