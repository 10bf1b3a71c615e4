# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    # Connection options shared by every module and the inventory plugin (argument spec:
    # module_utils/module/arguments.py connection_argument_spec()); the modules and the plugin talk to
    # the API through requests.
    DOCUMENTATION = r'''
options:
  api_version:
    description:
      - The generation of the rapyuta.io API the task speaks. V(v1) is the catalog and core API
        (O(catalog_host), O(core_api_host)); V(v2) is today's platform API at O(v2_api_host), whose objects
        are the documents of C(rio apply). Devices are read from the core API in both.
      - If not set, the value of the E(RIO_API_VERSION) environment variable is used, then V(v1). Per play,
        set it with C(module_defaults) for C(group/rapyuta.rio.rio).
      - A module that does not speak the generation asked for fails before any request, naming this option.
    type: str
    choices: [v1, v2]
    default: v1
  auth_token:
    description:
      - The rapyuta.io auth token, sent in the C(Authorization) header as a bearer token.
      - If not set, the value of the E(RIO_AUTH_TOKEN) environment variable is used, then the C(auth_token)
        of riocli's config file (see the notes).
      - Never logged, never returned.
    type: str
  project:
    description:
      - The project GUID (C(project-...)) sent as the C(project) header; every resource is scoped by it.
      - If not set, the value of the E(RIO_PROJECT) environment variable is used, then the C(project_id)
        of riocli's config file.
      - One of them must give it; without a project the task fails before any request, naming the option
        and the variable.
    type: str
  organization:
    description:
      - The organization GUID (C(org-...)). Sent as the C(organizationguid) header on v2 and as the
        C(organization) header on v1.
      - If not set, the value of the E(RIO_ORGANIZATION) environment variable is used, then the
        C(organization_id) of riocli's config file.
    type: str
  catalog_host:
    description:
      - Base URL of the v1 catalog API (packages, deployments, networks, volumes), without a trailing slash.
      - If not set, E(RIO_CATALOG_HOST) is used, then the C(catalog_host) key of riocli's config file,
        then the production host V(https://gacatalog.apps.okd4v2.prod.rapyuta.io).
    type: str
  core_api_host:
    description:
      - Base URL of the core API (devices; on v1 also static routes), without a trailing slash.
      - If not set, E(RIO_CORE_API_HOST) is used, then the C(core_api_host) key of riocli's config file,
        then the production host V(https://gaapiserver.apps.okd4v2.prod.rapyuta.io).
    type: str
  v2_api_host:
    description:
      - Base URL of the v2 API (packages, deployments, networks, disks, static routes, secrets), without a
        trailing slash; used when O(api_version=v2).
      - If not set, E(RIO_V2_API_HOST) is used, then the C(v2api_host) key of riocli's config file, then the
        production host V(https://api.rapyuta.io).
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
notes:
  - "Where connection settings come from, first match wins: the task's options (or C(module_defaults)), the
    E(RIO_*) environment variables named by each option, riocli's config file, the production defaults.
    riocli's config file is the JSON file named by E(RIO_CONFIG), else riocli's own (written by
    C(rio auth login)): C($XDG_CONFIG_HOME/rio-cli/config.json), C(~/.config/rio-cli/config.json) when
    E(XDG_CONFIG_HOME) is unset, C(~/Library/Application Support/rio-cli/config.json) on macOS. Its keys
    C(auth_token), C(project_id), C(organization_id), C(catalog_host), C(core_api_host) and C(v2api_host)
    fill the options left unset, so after C(rio auth login) a task needs no connection option at all."
  - "The file is read only when a setting the task's O(api_version) needs is unset (on v1 the token, the
    project, the catalog and core hosts; on v2 the token, the project, the organization, the v2 and core hosts). A E(RIO_CONFIG) that is set but missing,
    unreadable or not a JSON object is an error (unlike the SDK, which ignores it), and so is a broken file at
    riocli's location, so that a typo never sends a task to the production hosts."
  - "For automation (AWX, CI), give the task a token of its own rather than a person's: on v2 an organization
    admin creates a service account and a token for it (C(/v2/serviceaccounts/), with an expiry), and AWX keeps
    that token in a credential whose injector sets E(RIO_AUTH_TOKEN), with E(RIO_PROJECT),
    E(RIO_ORGANIZATION) and E(RIO_API_VERSION=v2) beside it (the collection's docs/awx.md has the credential type)."
requirements:
  - requests
'''

    # For the modules that speak only v2 (rio_resource, rio_resource_info), listed BEFORE rapyuta.rio.rio_auth:
    # ansible-doc merges a later fragment's option under what is already there, so these keys win and the
    # rest of api_version comes from rio_auth (validate-modules checks the default against the argument spec).
    V2_ONLY = r'''
options:
  api_version:
    description:
      - This module speaks only the v2 API, so it defaults to V(v2); V(v1), whether set on the task, by
        C(module_defaults) or by E(RIO_API_VERSION), fails before any request, naming this option.
    default: v2
'''

    # For plugins other than modules (the inventory plugin), listed with rapyuta.rio.rio_auth, which
    # describes the options: only the other sources they are read from (ansible-doc merges each option
    # key by key). Inventory options are not read from host variables, so there are no vars entries.
    PLUGINS = r'''
options:
  api_version:
    env:
      - name: RIO_API_VERSION
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
  v2_api_host:
    env:
      - name: RIO_V2_API_HOST
  validate_certs:
    env:
      - name: RIO_VALIDATE_CERTS
  ca_path:
    env:
      - name: RIO_CA_PATH
'''
