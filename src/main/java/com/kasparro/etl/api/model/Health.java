package com.kasparro.etl.api.model;



public record Health(String status, String database) {
}
