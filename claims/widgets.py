"""Autocompletes for the claim page's forms that label their values from the rows already
loaded, instead of a query per row."""
from django.contrib.admin.widgets import AutocompleteSelect


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its current value from the object the row already
    loaded (`preloaded`, {str(pk): object}), so an inline of N rows costs no N queries.

    Any other value (a form redisplayed with new input) is looked up as usual.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not self.preloaded or not selected <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            obj = self.preloaded[key]
            options.append(self.create_option(
                name, obj.pk, self.choices.field.label_from_instance(obj), selected, len(options)
            ))
        return [(None, options, 0)]


def preload_autocompletes(form, *names):
    """Let the autocomplete widgets of `form` label the instance's current relations."""
    for name in names:
        field = form.fields.get(name)
        related = getattr(form.instance, name, None) if form.instance.pk else None
        if field is None or related is None:
            continue
        widget = getattr(field.widget, "widget", field.widget)  # under the admin's wrapper
        if isinstance(widget, PreloadedAutocompleteSelect):
            widget.preloaded = {str(related.pk): related}
