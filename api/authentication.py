"""Token authentication that slows down guessing: failed sign-ins are counted per client
address (api.throttling.AuthFailureThrottle), and once a client has used up its
failures for the window, every token it sends is answered 429 without being looked up,
so a correct guess cannot be told from a wrong one until the window ends."""
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from .throttling import AuthFailureThrottle


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None  # no token: nothing to guess
        throttle = AuthFailureThrottle()
        if throttle.exhausted(request):
            raise Throttled(wait=throttle.wait(),
                            detail="Too many failed sign-ins from your address.")
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.record_failure(request)
            raise
