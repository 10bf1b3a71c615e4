# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    # Connection options shared by every module and the inventory plugin (argument spec:
    # module_utils/module/arguments.py connection_argument_spec()); the modules and the plugin talk to
    # the API through requests.
    DOCUMENTATION = r'''
options:
  auth_token:
    description:
      - The rapyuta.io auth token, sent in the C(Authorization) header as a bearer token.
      - If not set, the value of the E(RIO_AUTH_TOKEN) environment variable is used.
      - Never logged, never returned.
    type: str
  project:
    description:
      - The project GUID (C(project-...)) sent as the C(project) header; every resource is scoped by it.
      - If not set, the value of the E(RIO_PROJECT) environment variable is used.
      - One of the two must be set; without a project the task fails before any request, naming both.
    type: str
  organization:
    description:
      - The organization GUID, sent only to the endpoints that need it.
      - If not set, the value of the E(RIO_ORGANIZATION) environment variable is used.
    type: str
  catalog_host:
    description:
      - Base URL of the catalog API (packages, deployments, networks, volumes), without a trailing slash.
      - If not set, E(RIO_CATALOG_HOST) is used, then the C(catalog_host) key of the JSON file named by
        E(RIO_CONFIG) (the SDK's convention), then the production host
        V(https://gacatalog.apps.okd4v2.prod.rapyuta.io).
      - A E(RIO_CONFIG) that is set but missing, unreadable or not a JSON object is an error (unlike the SDK,
        which ignores it), so that a typo never sends a task to the production hosts. It is read only when
        a host is not given by an option or E(RIO_CATALOG_HOST) / E(RIO_CORE_API_HOST).
    type: str
  core_api_host:
    description:
      - Base URL of the core API (devices, static routes), without a trailing slash.
      - If not set, E(RIO_CORE_API_HOST) is used, then the C(core_api_host) key of the E(RIO_CONFIG) file,
        then the production host V(https://gaapiserver.apps.okd4v2.prod.rapyuta.io).
    type: str
  validate_certs:
    description:
      - Verify the TLS certificate of the API hosts. Only set to V(false) for a trusted host with a
        self-signed certificate; prefer O(ca_path).
      - If not set, E(RIO_VALIDATE_CERTS) is used, then V(true).
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM file) to verify the API hosts with.
      - A missing or unreadable file, or one without a PEM certificate, fails the task before any request,
        naming this option. A relative path is taken from the directory of the playbook.
      - If not set, the value of the E(RIO_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
      - Must be greater than 0; checked before any request.
    type: int
    default: 30
  retries:
    description:
      - How many times a call is repeated after a connection error or an answer of 429, 502, 503 or 504,
        with exponential backoff and jitter, honouring C(Retry-After). The SDK calls this C(retry_limit).
      - Creations are never blindly repeated; the resource is looked up by its name first, so a retry
        cannot create a duplicate.
      - The backoff doubles from 0.5 s up to 10 s, so the default six retries wait about 26 s at most.
      - Must be 0 (no retry) or more; checked before any request.
    type: int
    default: 6
requirements:
  - requests
'''

    # For plugins other than modules (the inventory plugin), listed with rapyuta.rio.rio_auth, which
    # describes the options: only the other sources they are read from (ansible-doc merges each option
    # key by key). Inventory options are not read from host variables, so there are no vars entries.
    PLUGINS = r'''
options:
  auth_token:
    env:
      - name: RIO_AUTH_TOKEN
  project:
    env:
      - name: RIO_PROJECT
  organization:
    env:
      - name: RIO_ORGANIZATION
  catalog_host:
    env:
      - name: RIO_CATALOG_HOST
  core_api_host:
    env:
      - name: RIO_CORE_API_HOST
  validate_certs:
    env:
      - name: RIO_VALIDATE_CERTS
  ca_path:
    env:
      - name: RIO_CA_PATH
'''
