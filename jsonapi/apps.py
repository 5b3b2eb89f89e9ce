import functools

from django.apps import AppConfig

NAMES_TO_REMEMBER = 4096


class JsonApiConfig(AppConfig):
    """JSON:API plumbing; at start-up, remembers the name inflections DJA repeats.

    DJA camelizes every attribute name of every resource and singularizes and pluralizes every
    relationship name of every included item, each time with regular expressions. The set of
    names is small and the functions are pure, so each answer is computed once per process.
    """

    name = "jsonapi"

    def ready(self) -> None:
        import inflection
        from rest_framework_json_api import utils

        remember = functools.lru_cache(maxsize=NAMES_TO_REMEMBER)
        utils.format_value = remember(utils.format_value)
        inflection.singularize = remember(inflection.singularize)
        inflection.pluralize = remember(inflection.pluralize)
