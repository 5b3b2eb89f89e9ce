"""``OPTIONS``: the attributes a resource accepts, their types and which are required."""

from __future__ import annotations

from rest_framework.exceptions import APIException
from rest_framework.request import clone_request
from rest_framework_json_api.metadata import JSONAPIMetadata

from jsonapi.conventions import conventions

WRITE_METHODS = ("POST", "PATCH", "PUT")


class ResourceMetadata(JSONAPIMetadata):
    """DJA's metadata (camelCase names) for every write method, PATCH included.

    A method's input is what the view declares (``ResourceView.input_serializer``): the
    registration form for ``POST /customers``, the resource's attributes elsewhere. PATCH
    changes only what is sent, so nothing is required there.
    """

    def determine_metadata(self, request, view) -> dict:
        """DJA's description of the view, as the ``data`` of the answer's document."""
        return {"data": super().determine_metadata(request, view)}

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
        serializer_class = conventions(view).input_serializer(method)
        if serializer_class is None:
            return {}
        fields = self.get_serializer_info(serializer_class(context=view.get_serializer_context()))
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
