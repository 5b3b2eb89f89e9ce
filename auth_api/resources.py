"""The resource types of logging in and of passwords."""

from auth_api.serializers import TokenPairSerializer
from jsonapi.resources import Resource

ACCESS_TOKENS = Resource("access-tokens", TokenPairSerializer, path="access-tokens", id_source=None)
REFRESH_TOKENS = Resource(
    "refresh-tokens", TokenPairSerializer, path="refresh-tokens", id_source=None
)
CUSTOMER_PASSWORD = Resource("customer-password", None, path="customer-password")
CUSTOMER_FORGOTTEN_PASSWORD = Resource(
    "customer-forgotten-password", None, path="customer-forgotten-password"
)
CUSTOMER_RESTORE_PASSWORD = Resource(
    "customer-restore-password", None, path="customer-restore-password"
)
