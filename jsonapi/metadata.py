"""``OPTIONS``: the attributes a resource accepts, their types and which are required."""

from __future__ import annotations

from rest_framework.exceptions import APIException
from rest_framework.request import clone_request
from rest_framework_json_api.metadata import JSONAPIMetadata

WRITE_METHODS = ("POST", "PATCH", "PUT")


class ResourceMetadata(JSONAPIMetadata):
    """DJA's metadata (camelCase names) for every write method, PATCH included.

    A view describes the input of a method with ``input_serializers = {"POST": ...}`` when it
    differs from its ``serializer_class`` (``POST /customers`` takes the registration form).
    PATCH changes only what is sent, so nothing is required there.
    """

    def determine_actions(self, request, view) -> dict:
        actions = {}
        for method in WRITE_METHODS:
            if method not in view.allowed_methods:
                continue
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
                actions[method] = self._describe(view, method)
            except APIException:
                continue
            finally:
                view.request = request
        return actions

    def _describe(self, view, method: str) -> dict:
        input_serializer = getattr(view, "input_serializers", {}).get(method)
        if input_serializer is not None:
            serializer = input_serializer(context=view.get_serializer_context())
        else:
            serializer = view.get_serializer()
        fields = self.get_serializer_info(serializer)
        if method == "PATCH":
            for info in fields.values():
                info["required"] = False
        return fields

    def get_field_info(self, field) -> dict:
        info = super().get_field_info(field)
        for attribute in ("max_bytes", "allow_null"):
            value = getattr(field, attribute, None)
            if value is not None:
                info[attribute] = value
        return info
