"""The v2 API (docs/reference/v2-api.md): Kubernetes-style objects under `/v2/`, on the v1 store and fleet."""
