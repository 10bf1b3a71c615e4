# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain templates: what is rendered without ansible-core must be exactly what ansible-core renders."""

import inspect

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.vars.hostvars import HostVarsVars

from ansible_collections.rapyuta.rio.plugins.plugin_utils.plain_templates import NOT_LOOKED_UP, looked_up, templated

try:  # ansible-core 2.19+: group_vars and host_vars templates are trusted, other strings are not
    from ansible.template import trust_as_template

    def untrusted(value):
        return value
except ImportError:  # ansible-core 2.18: every string is rendered, but an unsafe one
    from ansible.utils.unsafe_proxy import wrap_var as untrusted

    def trust_as_template(value):
        return value

T = trust_as_template

VARIABLES = {
    "inventory_hostname": "robot-001", "rio_architecture": "arm64v8", "rio_count": 3, "rio_flag": "True",
    "rio_none": None, "rio_listed": "[1, 2]", "rio_labels": {"site": "north-1", "zone": "z 1"},
    "rates": {"north-1": "10", "south": "5"}, "fleet_version": "v1.0.0", "with_newline": "a\n",
    "city": "zürich", "rio_keyed": {"items": "k", "keys": "v", "_hidden": "h"}, "ansible_architecture": "x86_64",
    "none": "n", "true": "t", "a": "Tr", "b": "ue", "dev_uuid": "2b1c-4d",
    "templated_labels": {"site": T("{{ rio_architecture }}")}, "fleet_nested": T("{{ fleet_version }}"),
    "braced_labels": {"site": "north", "note": T("{{ missing }}")},
    "untrusted_labels": {"site": untrusted("{{ rio_architecture }}")},
}

# What the fleet's group_vars hold (the sample's): rendered here, never by ansible-core.
PLAIN = [
    "talker-{{ inventory_hostname }}", "{{ rio_architecture }}", "{{rio_architecture}}", "{{ rio_labels.site }}",
    "{{ rates[rio_labels.site] }}", "{{ fleet_version }}", "{{ rio_labels.site }}/{{ inventory_hostname }}",
    "{{ city }}-x", "dev-{{ dev_uuid }}", "plain text, no template",
]
# Left to ansible-core (or rendered by both alike: the test below compares whatever is rendered).
OTHERS = [
    "{{ rio_count }}", "n-{{ rio_count }}", "{{ rio_flag }}", "{{ rio_none }}", "{{ rio_listed }}", "{{ fleet_nested }}",
    "x-{{ templated_labels.site }}", "{{ with_newline }}", "{{ rio_keyed.items }}", "{{ rio_keyed.keys }}",
    "{{ rio_keyed._hidden }}", "{{ rio_keyed['items'] }}", "{{ ansible_architecture }}", "{{ none }}", "{{ true }}",
    "{{ braced_labels.site }}", "{{ untrusted_labels.site }}", "{{ missing }}", "a-{{ missing }}",
    "{{- rio_architecture }}", "{{ rio_architecture | upper }}", "{# c #}x", "{% if true %}y{% endif %}",
    "a {{ rio_architecture }} b\n", "{{ a }}{{ b }}", "{{ self }}", "{{ rates[rio_labels.zone] }}",
    "#jinja2: variable_start_string: '[['\nx", "{ {{ rio_architecture }} }", "'{{ rio_architecture }}'",
]
CONTAINERS = [
    {"A": T("{{ inventory_hostname }}"), "B": [T("{{ rio_architecture }}"), 1, 2.5, True, None]},
    [{"name": T("{{ fleet_version }}")}], {"inventory_hostname": T("{{ rio_architecture }}")},
    {T("{{ rio_architecture }}"): "key"}, {"A": T("{{ rio_count }}")}, {"A": untrusted("{{ rio_architecture }}")},
    {}, [],
]


def rendered_by_ansible(value):
    """What ansible-core's hostvars[robot][name] gives for a host variable of that value."""
    variables = dict(VARIABLES, checked=value)
    keywords = {"host": "robot-001"} if "host" in inspect.signature(HostVarsVars).parameters else {}
    try:
        return HostVarsVars(variables, loader=DataLoader(), **keywords)["checked"]
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return type(exc)


def native(value):
    """The value without ansible-core's data tags (its str and dict subclasses)."""
    if isinstance(value, dict):
        return dict((native(key), native(inner)) for key, inner in value.items())
    if isinstance(value, list):
        return [native(inner) for inner in value]
    for kind in (str, bool, int, float):
        if isinstance(value, kind):
            return (kind.__name__, kind(value))
    return (type(value).__name__, value)


@pytest.mark.parametrize("value", [T(text) for text in PLAIN + OTHERS] + [untrusted(text) for text in PLAIN]
                         + CONTAINERS)
def test_what_is_rendered_here_is_what_ansible_core_renders(value):
    got = templated(value, VARIABLES)
    if got is not NOT_LOOKED_UP:
        assert native(got) == native(rendered_by_ansible(value))


@pytest.mark.parametrize("text", PLAIN)
def test_the_fleets_templates_are_rendered_here(text):
    assert templated(T(text), VARIABLES) is not NOT_LOOKED_UP
    assert templated({"k": [T(text)]}, VARIABLES) is not NOT_LOOKED_UP


def test_a_rendered_value_is_a_new_container_and_a_single_reference_keeps_the_value():
    value = {"labels": [T("{{ rio_labels.site }}")]}
    got = templated(value, VARIABLES)
    assert got == {"labels": ["north-1"]} and got is not value and got["labels"] is not value["labels"]
    assert templated(T("{{ rio_architecture }}"), VARIABLES) is VARIABLES["rio_architecture"]


@pytest.mark.parametrize("expression, expected", [
    ("rio_labels.site", "north-1"), (" rio_architecture ", "arm64v8"), ("rates[rio_labels.site]", "10"),
    ("rio_keyed.items", NOT_LOOKED_UP), ("rio_count", NOT_LOOKED_UP), ("braced_labels.site", NOT_LOOKED_UP),
    ("rio_labels.site | upper", NOT_LOOKED_UP), ("missing", NOT_LOOKED_UP),
])
def test_an_expression_that_names_a_plain_variable_is_looked_up(expression, expected):
    assert looked_up(T(expression), VARIABLES) is expected or looked_up(T(expression), VARIABLES) == expected
