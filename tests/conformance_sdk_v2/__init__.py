# The sdk-v2 conformance suite (its own venv, .venv-sdkv2): see README.md in this folder.
