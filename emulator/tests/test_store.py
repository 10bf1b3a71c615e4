"""The SQLite store on its own: the ``mentioning`` prefilter keeps list() exact and in order."""
from rio_emulator.store import Store


def test_list_mentioning_returns_only_the_documents_that_contain_the_string_in_creation_order():
    store = Store()
    store.put("deployment", "p1", "d1", {"name": "a", "deps": [{"id": "dep-x"}]})
    store.put("deployment", "p1", "d2", {"name": "b", "deps": []})
    store.put("deployment", "p1", "d3", {"name": "c", "deps": [{"id": "dep-x"}]})
    store.put("deployment", "p2", "d4", {"name": "d", "deps": [{"id": "dep-x"}]})
    store.put("device", "p1", "u1", {"name": "dep-x"})
    assert [doc["name"] for doc in store.list("deployment", "p1", mentioning="dep-x")] == ["a", "c"]
    assert [doc["name"] for doc in store.list("deployment", mentioning="dep-x")] == ["a", "c", "d"]
    assert store.list("deployment", "p1", mentioning="dep-y") == []
    assert len(store.list("deployment", "p1")) == 3


def test_list_mentioning_matches_the_stored_json_form_of_the_string():
    store = Store()
    store.put("deployment", "p", "d1", {"name": 'quote"and\\slash é'})
    store.put("deployment", "p", "d2", {"name": "plain"})
    assert [doc["name"] for doc in store.list("deployment", "p", mentioning='quote"and\\slash é')] == [
        'quote"and\\slash é']
