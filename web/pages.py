"""Pages: the chat page, the iframe chat, the embeddable widget and the knowledge pages."""
from flask import Blueprint

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static")
