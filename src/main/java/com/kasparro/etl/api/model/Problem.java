package com.kasparro.etl.api.model;



/** RFC 9457 problem details, as every error of the API is answered. */
public record Problem(String type, String title, int status, String detail) {
}
