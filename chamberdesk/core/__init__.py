"""The core: domain model, storage and services. Never imports Qt."""
