"""Static files in production: hashed and compressed by collectstatic, served by WhiteNoise.

Django's manifest storage raises on every `{% static %}` until collectstatic has written its
manifest, which turns every page into a 500. Before collectstatic this storage gives the plain
names instead (WhiteNoise then serves them from the apps, WHITENOISE_USE_FINDERS) and the deploy
check `campaigns.W001` says what is missing; after it, a name missing from the manifest is still
an error, as it should be.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)

    @property
    def collected(self) -> bool:
        return bool(self.hashed_files)
