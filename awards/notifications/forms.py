"""The account page's choice of how many notices to receive."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from awards.core.forms import REQUIRED
from awards.notifications.models import Preference


class PreferenceForm(FlaskForm):
    preference = RadioField(_l("Nhận thông báo"), choices=lambda: list(Preference.labels().items()),
                            validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Lưu cách nhận thông báo"))
