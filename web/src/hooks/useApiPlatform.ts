// Gateway reads of the API platform page that take parameters: the model list with prices (an
// API key is required by /v1/models) and one page of the per-request log.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { gateway, type RequestLogQuery } from "../lib/api";

/** `/v1/models` with prices and deployments; only with an API key (a session is refused). */
export function useGatewayModels(apiKey: string | null) {
  return useQuery({ queryKey: ["gw", "models", apiKey], queryFn: () => gateway.models(apiKey!), enabled: !!apiKey, staleTime: 60_000 });
}

/** One page of `/v1/account/requests`; the previous page stays shown while the next loads. */
export function useRequestLog(token: string | null, query: RequestLogQuery) {
  return useQuery({
    queryKey: ["gw", "requests", token, query],
    queryFn: () => gateway.requests(token!, query),
    enabled: !!token,
    refetchInterval: 5000,
    placeholderData: keepPreviousData,
  });
}
