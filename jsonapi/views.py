"""The base of the service's JSON:API views.

Every resource view derives from :class:`ResourceView` (or :class:`ResourceViewSet`) and
declares, as class attributes, what the rest of the plumbing needs to know of it
(``jsonapi.conventions``); it answers with the documents of ``jsonapi.documents``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.viewsets import ViewSetMixin

from jsonapi.conventions import Conventions
from jsonapi.documents import Documents, requested_relationships
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.pagination import paginate
from jsonapi.parsers import request_attributes


class DocumentedPermission(BasePermission):
    """A permission that says which of the contract's errors it answers (for ``/schema``)."""

    def documented_errors(self, view: ResourceView, method: str) -> tuple[ErrorCode, ...]:
        return ()


class ResourceView(Conventions, GenericAPIView):
    """A JSON:API view: the conventions it declares (:class:`Conventions`), and its answers."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """DRF's checks (token, permissions, limits), then the ``include`` the answer is to hold.

        An unknown relationship is refused here, before the handler writes anything.
        """
        super().initial(request, *args, **kwargs)
        if self.answers_documents(request.method):
            requested_relationships(request, self.resource)

    def get_serializer_class(self) -> type[Serializer] | None:
        """The serializer of this request's body (DRF's forms and validation use it)."""
        return self.input_serializer(self.request.method if self.request else "GET")

    def validate_body(self, instance: Any = None, *, partial: bool = False) -> Serializer:
        """The request body's attributes, validated: 422 with every failing attribute.

        ``partial`` validates only what is sent (the update of a resource). Permissions call it
        before they refuse a body, so a body that breaks its own rules gets only its 422 errors
        (Glue's order of checks).
        """
        serializer = self.get_serializer(
            instance, data=request_attributes(self.request), partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    # --- answers -----------------------------------------------------------------------------
    def documents(self) -> Documents:
        """The documents of this request; items below a customer name it in their links."""
        return Documents(self.request, owner=self.kwargs.get("customer_reference"))

    def document(self, instance: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The document of one ``resource`` object."""
        return Response(self.documents().single(self.resource, instance), status=status_code)

    def collection(self, rows: QuerySet | list, *, status_code: int = 200) -> Response:
        """The paginated document of ``rows``."""
        page_rows, page = paginate(rows, self.request)
        documents = self.documents()
        return Response(documents.collection(self.resource, page_rows, page), status=status_code)

    def created(self, instances: Any, *, many: bool = False) -> Response:
        """201 with the document of what was created (one object, or an array of them)."""
        documents = self.documents()
        body = (
            documents.collection(self.resource, instances)
            if many
            else documents.single(self.resource, instances)
        )
        return Response(body, status=status.HTTP_201_CREATED)


class ResourceViewSet(ViewSetMixin, ResourceView):
    """A :class:`ResourceView` whose actions are routed by method (DRF's ViewSet).

    ``OPTIONS`` describes a collection's or item's attributes to anyone: it reads no data. A
    collection routes PATCH and DELETE to :meth:`missing_id`.
    """

    collection_actions: ClassVar[dict[str, str]] = {
        "get": "list",
        "post": "create",
        "patch": "missing_id",
        "delete": "missing_id",
    }

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("metadata", "missing_id"):
            return [AllowAny()]
        return super().get_permissions()

    def validate_body(self, instance: Any = None, *, partial: bool | None = None) -> Serializer:
        """:meth:`ResourceView.validate_body`; an update validates only what is sent."""
        if partial is None:
            partial = self.action == "partial_update"
        return super().validate_body(instance, partial=partial)

    @extend_schema(exclude=True)
    def missing_id(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH or DELETE of the collection: 400, the URL names no item."""
        raise ApiError(self.id_missing)
