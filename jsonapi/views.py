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
from jsonapi.documents import Documents
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.pagination import paginate


class DocumentedPermission(BasePermission):
    """A permission that says which of the contract's errors it answers (for ``/schema``)."""

    def documented_errors(self, view: ResourceView, method: str) -> tuple[ErrorCode, ...]:
        return ()


class ResourceView(Conventions, GenericAPIView):
    """A JSON:API view: the conventions it declares (:class:`Conventions`), and its answers."""

    def get_serializer_class(self) -> type[Serializer] | None:
        """The serializer of this request's body (DRF's forms and validation use it)."""
        return self.input_serializer(self.request.method if self.request else "GET")

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

    @extend_schema(exclude=True)
    def missing_id(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH or DELETE of the collection: 400, the URL names no item."""
        raise ApiError(self.id_missing)
