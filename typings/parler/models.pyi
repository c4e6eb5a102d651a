# The little of django-parler that our code calls (it ships no types): enough for mypy to keep seeing models as models.
from typing import Any, ClassVar, Self

from django.db import models

from .managers import TranslatableManager

class TranslationDoesNotExist(AttributeError): ...

class TranslatableModelMixin:
    _parler_meta: Any
    def set_current_language(self, language_code: str | None, initialize: bool = ...) -> None: ...
    def get_current_language(self) -> str: ...
    def has_translation(self, language_code: str | None = ..., related_name: str | None = ...) -> bool: ...
    def get_available_languages(self, related_name: str | None = ..., include_unsaved: bool = ...) -> list[str]: ...
    def get_translation(self, language_code: str, related_name: str | None = ...) -> Any: ...
    def save_translation(self, translation: Any, *args: Any, **kwargs: Any) -> None: ...
    def save_translations(self, *args: Any, **kwargs: Any) -> None: ...
    def safe_translation_getter(
        self, field: str, default: Any = ..., language_code: str | None = ..., any_language: bool = ...
    ) -> Any: ...

class TranslatableModel(TranslatableModelMixin, models.Model):
    objects: ClassVar[TranslatableManager[Self]]

    class Meta:
        abstract = True

class TranslatedFieldsModelMixin:
    language_code: str
    master: Any

class TranslatedFieldsModel(TranslatedFieldsModelMixin, models.Model):
    class Meta:
        abstract = True

# A class in parler, replaced on the model by the translations' related manager: Any to mypy.
def TranslatedFields(meta: dict[str, Any] | None = ..., **fields: Any) -> Any: ...
