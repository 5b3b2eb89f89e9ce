from addresses.views import AddressViewSet

urlpatterns = AddressViewSet.routes(item_name="address")
