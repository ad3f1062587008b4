use actix_web::HttpResponse;

/// `GET /auth/logged-out`: where the provider sends the browser after its logout.
pub async fn logged_out() -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Déconnexion</title></head>\
         <body><h1>Vous êtes déconnecté</h1><p>Vous pouvez fermer cette page ou \
         <a href=\"/\">revenir à l'accueil</a>.</p></body></html>",
    )
}
